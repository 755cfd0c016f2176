import { describe, expect, it } from 'vitest';
import { endEntityDn, ejbcaFingerprint } from '../../../src/sources/orders/ejbca_snapshots.js';
import { createHash } from 'node:crypto';
import { userDataVO } from './ejbca_user_data_vo.js';

describe('endEntityDn: the DN of an EJBCA CertReqHistoryData.userDataVO', () => {
  it('reads the DN property of an EndEntityInformation, XML escapes undone, DN escapes kept for the DN parser', () => {
    expect(endEntityDn(userDataVO('CN=shop.example,O=Acme\\, Inc. & Sons <EU>,C=MM'))).toBe('CN=shop.example,O=Acme\\, Inc. & Sons <EU>,C=MM');
  });

  it('reads the UserDataVO that EJBCA before 5.0 wrote', () => {
    expect(endEntityDn(userDataVO('CN=old.example,C=LR', { className: 'org.ejbca.core.model.ra.UserDataVO' }))).toBe('CN=old.example,C=LR');
  });

  it('the DN property only, not a "DN" string elsewhere (a username that reads DN)', () => {
    expect(endEntityDn(userDataVO('C=LR', { username: 'DN' }))).toBe('C=LR');
  });

  it('is null (unreadable, never guessed) for XML cut short, as EJBCA 3.4 left some rows, for another shape, and for a DN with <char> elements', () => {
    const whole = userDataVO('CN=x,C=LR');
    expect(endEntityDn(whole.slice(0, whole.length - 30))).toBeNull();
    expect(endEntityDn('<java><object class="x"><void property="username"><string>u</string></void></object></java>')).toBeNull();
    expect(endEntityDn('<java><object class="x"/><object class="y"/></java>')).toBeNull();
    expect(endEntityDn('not xml')).toBeNull();
    // XMLEncoder writes characters XML cannot hold as <char code="#..."/> inside the string.
    expect(endEntityDn('<java><object class="x"><void property="DN"><string>CN=a<char code="#1"/>b</string></void></object></java>')).toBeNull();
  });

  it('is null, not an error, for XML with no <java> root, a <java> with no <object>, two objects, or an object with no properties', () => {
    expect(endEntityDn('<root><object class="x"/></root>')).toBeNull();
    expect(endEntityDn('<java version="1.8.0_392" class="java.beans.XMLDecoder"></java>')).toBeNull();
    expect(endEntityDn('<java>text</java>')).toBeNull();
    // Two top-level objects: not one EndEntityInformation, even if the first has a DN.
    expect(endEntityDn('<java><object class="a"><void property="DN"><string>CN=a</string></void></object><object class="b"/></java>')).toBeNull();
    expect(endEntityDn('<java><object class="x"/></java>')).toBeNull();
    expect(endEntityDn('<java><object class="x">text</object></java>')).toBeNull();
  });

  it('an empty DN is an empty string, not unreadable', () => {
    expect(endEntityDn('<java><object class="x"><void property="DN"><string></string></void></object></java>')).toBe('');
  });
});

describe('ejbcaFingerprint', () => {
  it("is EJBCA's CertificateData.fingerprint: SHA-1 of the DER in lowercase hex", () => {
    const der = Buffer.from('3003020101', 'hex');
    expect(ejbcaFingerprint(der)).toBe(createHash('sha1').update(der).digest('hex'));
    expect(ejbcaFingerprint(der)).toMatch(/^[0-9a-f]{40}$/);
  });
});
