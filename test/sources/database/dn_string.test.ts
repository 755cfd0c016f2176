import { describe, expect, it } from 'vitest';
import { canonicalAttributeType, dnAttributeValues, DnSyntaxError, parseDn } from '../../../src/sources/database/dn_string.js';

// The DN strings marked "EJBCA" are inputs of EJBCA CE's own test of its DN handling,
// modules/x509-common-util/src-test/com/keyfactor/util/certificates/X509CertificateToolsTest.java
// (testStringToBCDNString, dn20 to dn36), with the values EJBCA reads from them.
describe('parseDn', () => {
  it('reads a plain DN, spaces around separators dropped (EJBCA dn1)', () => {
    expect(parseDn('C=SE, O=AnaTom, CN=foo')).toEqual([[{ type: 'C', value: 'SE' }], [{ type: 'O', value: 'AnaTom' }], [{ type: 'CN', value: 'foo' }]]);
  });

  it('reads types in any case (EJBCA dn4)', () => {
    expect(parseDn('cn=foo, o=PrimeKey, c=SE').map((rdn) => rdn[0]!.type)).toEqual(['CN', 'O', 'C']);
  });

  it('reads a quoted value and escaped backslash and comma (EJBCA dn20)', () => {
    const dn = ' CN="foo, OU=bar",  O=baz\\\\\\, quux,C=SE ';
    expect(parseDn(dn)).toEqual([[{ type: 'CN', value: 'foo, OU=bar' }], [{ type: 'O', value: 'baz\\, quux' }], [{ type: 'C', value: 'SE' }]]);
  });

  it("reads escaped commas and an escaped ' (EJBCA dn21)", () => {
    const dn = "C=SE,O=Foo\\, Inc, OU=Foo\\, Dep, CN=Foo\\'";
    expect(dnAttributeValues(dn, 'O')).toEqual(['Foo, Inc']);
    expect(dnAttributeValues(dn, 'OU')).toEqual(['Foo, Dep']);
    expect(dnAttributeValues(dn, 'CN')).toEqual(["Foo'"]);
  });

  it('refuses an unescaped comma inside a value, as EJBCA does (EJBCA dn22)', () => {
    expect(() => parseDn("C=SE,O=Foo\\, Inc, OU=Foo, Dep, CN=Foo'")).toThrow(DnSyntaxError);
    expect(() => parseDn("C=SE,O=Foo\\, Inc, OU=Foo, Dep, CN=Foo'")).toThrow(/"Dep" is not type=value/);
  });

  it('reads an escaped plus, and refuses a "+" part without a type (EJBCA dn25, dn26)', () => {
    expect(dnAttributeValues('CN=user\\+name, C=CN', 'CN')).toEqual(['user+name']);
    expect(() => parseDn('CN=user+name, C=CN')).toThrow(DnSyntaxError);
  });

  it('reads a multi-valued RDN', () => {
    expect(parseDn('CN=user+UID=name,C=CN')).toEqual([
      [
        { type: 'CN', value: 'user' },
        { type: 'UID', value: 'name' },
      ],
      [{ type: 'C', value: 'CN' }],
    ]);
  });

  it('takes ";" and "=" in a value literally, as EJBCA does (EJBCA dn26_1)', () => {
    expect(parseDn('CN=user;C=SE')).toEqual([[{ type: 'CN', value: 'user;C=SE' }]]);
  });

  it('reads the EV jurisdiction attributes by name (EJBCA dn28)', () => {
    const dn = 'jurisdictionCountry=SE,jurisdictionState=Stockholm,SURNAME=Json,CN=oid,jurisdictionLocality=Solna,SN=12345,unstructuredname=foo.bar.com,C=se';
    expect(dnAttributeValues(dn, 'JurisdictionCountry')).toEqual(['SE']);
    expect(dnAttributeValues(dn, 'jurisdictionState')).toEqual(['Stockholm']);
    expect(dnAttributeValues(dn, 'JURISDICTIONLOCALITY')).toEqual(['Solna']);
    expect(dnAttributeValues(dn, 'serialNumber')).toEqual(['12345']);
    expect(dnAttributeValues(dn, 'C')).toEqual(['se']);
  });

  it('reads the OID forms as the same attribute', () => {
    const dn = '1.3.6.1.4.1.311.60.2.1.3=MM,OID.2.5.4.6=LR,2.5.4.10=Acme';
    expect(dnAttributeValues(dn, 'JurisdictionCountry')).toEqual(['MM']);
    expect(dnAttributeValues(dn, 'C')).toEqual(['LR']);
    expect(dnAttributeValues(dn, '2.5.4.10')).toEqual(['Acme']);
    expect(canonicalAttributeType('OID.1.2.3.4')).toBe('1.2.3.4');
  });

  it('reads an escaped "#" and a #-hex BER UTF8String (EJBCA dn30, dn31)', () => {
    expect(dnAttributeValues('CN=hexencoded SN,SN=\\#CNJB', 'SN')).toEqual(['#CNJB']);
    const utf8Foo = Buffer.from([0x0c, 0x03, ...Buffer.from('foo')]).toString('hex');
    expect(dnAttributeValues(`CN=hexencoded SN,SN=#${utf8Foo}`, 'SN')).toEqual(['foo']);
  });

  it('trims unescaped spaces and keeps escaped ones (EJBCA dn33a, dn34a)', () => {
    expect(dnAttributeValues('CN=cn,O= the org ,C=SE', 'O')).toEqual(['the org']);
    expect(dnAttributeValues('CN=cn,O=\\ the org\\ ,C=SE', 'O')).toEqual([' the org ']);
  });

  it('reads hex-escaped UTF-8 bytes and the EMAIL alias (EJBCA dn36)', () => {
    expect(dnAttributeValues('O=Caf\\C3\\A9', 'O')).toEqual(['Café']);
    expect(dnAttributeValues('CN=Name2,EMAIL=foo@bar.com,OU=MyOrgU,OU=Unit2,C=SE,O=Org1', 'E')).toEqual(['foo@bar.com']);
  });

  it('reads the subjectDN of the issue: the comma in the organization is escaped', () => {
    const dn = 'CN=shop.example,O=Acme\\, Inc.,L=Yangon,C=MM';
    expect(dnAttributeValues(dn, 'O')).toEqual(['Acme, Inc.']);
    expect(dnAttributeValues(dn, 'C')).toEqual(['MM']);
    expect(dnAttributeValues(dn, 'ST')).toEqual([]);
  });

  // The names EJBCA writes in UserData.subjectDN and CertReqHistoryData for issue #15's fields, read
  // from Keyfactor/ejbca-ce modules/cesecore-common/src/org/cesecore/util/CeSecoreNameStyle.java
  // (DefaultSymbols: SN is serialNumber, STREET, PostalCode, BusinessCategory, the Jurisdiction*
  // three) and DnComponents.java (the forward order EJBCA writes a DN in).
  it('reads an EV subject as EJBCA writes it, every issue #15 field under its EJBCA name', () => {
    const dn =
      'JurisdictionCountry=NL,JurisdictionState=Utrecht,JurisdictionLocality=Utrecht,STREET=Damrak 1,BusinessCategory=Private Organization,' +
      'PostalCode=1012 LG,CN=voorbeeld-demo.example,SN=30123456,organizationIdentifier=NTRNL-30123456,O=Voorbeeld Demo B.V.,L=Amsterdam,ST=Noord-Holland,C=NL';
    const read = (attribute: string) => dnAttributeValues(dn, attribute);
    expect([read('businessCategory'), read('2.5.4.15')]).toEqual([['Private Organization'], ['Private Organization']]);
    expect([read('serialNumber'), read('2.5.4.5')]).toEqual([['30123456'], ['30123456']]);
    expect([read('jurisdictionStateOrProvinceName'), read('1.3.6.1.4.1.311.60.2.1.2')]).toEqual([['Utrecht'], ['Utrecht']]);
    expect([read('jurisdictionLocalityName'), read('1.3.6.1.4.1.311.60.2.1.1')]).toEqual([['Utrecht'], ['Utrecht']]);
    expect([read('streetAddress'), read('2.5.4.9')]).toEqual([['Damrak 1'], ['Damrak 1']]);
    expect([read('postalCode'), read('2.5.4.17')]).toEqual([['1012 LG'], ['1012 LG']]);
    expect([read('ORGANIZATIONIDENTIFIER'), read('2.5.4.97')]).toEqual([['NTRNL-30123456'], ['NTRNL-30123456']]);
    expect([read('JurisdictionCountry'), read('C'), read('ST'), read('L')]).toEqual([['NL'], ['NL'], ['Noord-Holland'], ['Amsterdam']]);
    // SN is EJBCA's serialNumber, never the surname (EJBCA writes that SURNAME).
    expect(dnAttributeValues('SURNAME=Jansen,SN=42', 'SURNAME')).toEqual(['Jansen']);
  });

  it('reads organizationIdentifier in the dotted form older EJBCA versions wrote (no symbol for 2.5.4.97)', () => {
    expect(dnAttributeValues('CN=x,2.5.4.97=VATDE-123456789,O=Acme,C=DE', 'organizationIdentifier')).toEqual(['VATDE-123456789']);
  });

  it('keeps an escaped comma in a street address (EJBCA escapes , + " \\ = ;)', () => {
    expect(dnAttributeValues('STREET=Damrak 1\\, 2nd floor,PostalCode=1012 LG,C=NL', 'streetAddress')).toEqual(['Damrak 1, 2nd floor']);
  });

  it('refuses an unterminated quote or escape and an empty type', () => {
    expect(() => parseDn('CN="foo')).toThrow(/no closing/);
    expect(() => parseDn('CN=foo\\')).toThrow(/unfinished escape/);
    expect(() => parseDn('CN=foo,=fff')).toThrow(/no type/);
    expect(parseDn('  ')).toEqual([]);
  });
});

// Branches a mutation run of dn_string.ts found untested (docs/mutation-testing.md, #13).
describe('parseDn, the edges', () => {
  const ber = (tag: number, content: Buffer, lengthBytes?: number[]) => Buffer.from([tag, ...(lengthBytes ?? [content.length]), ...content]).toString('hex');

  it('reads #-hex values of each string type, short and long lengths, up to the next RDN', () => {
    expect(parseDn(`C=#${ber(0x13, Buffer.from('MM'))},O=x`)).toEqual([[{ type: 'C', value: 'MM' }], [{ type: 'O', value: 'x' }]]);
    expect(dnAttributeValues(`CN=#${ber(0x16, Buffer.from('ia5'))}`, 'CN')).toEqual(['ia5']);
    expect(dnAttributeValues(`CN=#${ber(0x14, Buffer.from([0x4d, 0xfc]))}`, 'CN')).toEqual(['M\u00fc']);
    expect(dnAttributeValues(`CN=#${ber(0x1e, Buffer.from('\u00e9t\u00e9', 'utf16le').swap16())}`, 'CN')).toEqual(['\u00e9t\u00e9']);
    const long = Buffer.from('a'.repeat(200));
    expect(dnAttributeValues(`CN=#${ber(0x0c, long, [0x81, 200])} ,C=SE`, 'CN')).toEqual(['a'.repeat(200)]);
    expect(dnAttributeValues(`CN=#${ber(0x0c, Buffer.from('multi'))}+SN=1`, 'CN')).toEqual(['multi']);
  });

  it('keeps a #-value it cannot decode as the text written', () => {
    expect(dnAttributeValues('CN=#zz', 'CN')).toEqual(['#zz']);
    expect(dnAttributeValues('CN=#0c0', 'CN')).toEqual(['#0c0']);
    expect(dnAttributeValues('CN=#0c0561', 'CN')).toEqual(['#0c0561']);
    expect(dnAttributeValues(`CN=#${ber(0x04, Buffer.from('os'))}`, 'CN')).toEqual([`#${ber(0x04, Buffer.from('os'))}`]);
    expect(dnAttributeValues(`CN=#${ber(0x0c, Buffer.from('x'), [0x80])}01`, 'CN')).toEqual([`#${ber(0x0c, Buffer.from('x'), [0x80])}01`]);
  });

  it('reads an escaped quote inside quotes, and tabs as spaces', () => {
    expect(dnAttributeValues('O="A \\"B\\" C",C=SE', 'O')).toEqual(['A "B" C']);
    expect(parseDn('\tC=SE\t,\tO=x\t')).toEqual([[{ type: 'C', value: 'SE' }], [{ type: 'O', value: 'x' }]]);
  });

  it('names the part that is not type=value, and a DN that ends with a separator', () => {
    expect(() => parseDn('CN=shop,O=Acme, Inc.,C=MM')).toThrow('"Inc." is not type=value (an unescaped "," or "+" in a value?)');
    expect(() => parseDn('CN=shop,plain')).toThrow('"plain" is not type=value');
    expect(() => parseDn('C=MM,')).toThrow('the DN ends with ","');
    expect(() => parseDn('C=MM + ')).toThrow('the DN ends with "+"');
  });

  it('ignores spaces around a type, and takes a value starting with hex digits as text', () => {
    expect(parseDn('CN = shop , C =MM')).toEqual([[{ type: 'CN', value: 'shop' }], [{ type: 'C', value: 'MM' }]]);
    expect(dnAttributeValues('CN=Z130141', 'CN')).toEqual(['Z130141']);
    expect(() => parseDn('CN=shop,O=Acme, Inc. ,C=MM')).toThrow('"Inc." is not type=value');
  });

  it('keeps #-hex of an odd length or with other characters after the hex as text, and reads a two-byte length', () => {
    expect(dnAttributeValues('CN=#0c0161a', 'CN')).toEqual(['#0c0161a']);
    expect(dnAttributeValues('CN=#0c0161zz', 'CN')).toEqual(['#0c0161zz']);
    const long = 'b'.repeat(300);
    expect(dnAttributeValues(`CN=#${ber(0x0c, Buffer.from(long), [0x82, 0x01, 0x2c])}`, 'CN')).toEqual([long]);
  });

  it('reads a type with an escaped comma before its "=" as one type', () => {
    expect(parseDn('C=MM,x\\,y=z')).toEqual([[{ type: 'C', value: 'MM' }], [{ type: 'X\\,Y', value: 'z' }]]);
  });
});
