// A test helper (not a test): EJBCA's CertReqHistoryData.userDataVO for a DN.
/**
 * CertReqHistoryData.userDataVO as EJBCA writes it: java.beans.XMLEncoder's output for an
 * EndEntityInformation (Keyfactor/ejbca-ce CertReqHistoryData.storeEndEntityInformation), with
 * the bean properties it has read and write accessors for (CAId, DN, ..., username), nested
 * objects for ExtendedInformation and EndEntityType, and XML escaping of &, <, >.
 */
export function userDataVO(dn: string, options: { className?: string; username?: string } = {}): string {
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<java version="1.8.0_392" class="java.beans.XMLDecoder">
 <object class="${options.className ?? 'org.cesecore.certificates.endentity.EndEntityInformation'}">
  <void property="CAId">
   <int>1652389506</int>
  </void>
  <void property="DN">
   <string>${xml(dn)}</string>
  </void>
  <void property="certificateProfileId">
   <int>1</int>
  </void>
  <void property="extendedInformation">
   <object class="org.cesecore.certificates.endentity.ExtendedInformation">
    <void property="data">
     <object class="org.cesecore.util.Base64PutHashMap">
      <void method="put">
       <string>version</string>
       <float>4.0</float>
      </void>
     </object>
    </void>
   </object>
  </void>
  <void property="status">
   <int>40</int>
  </void>
  <void property="type">
   <object class="org.cesecore.certificates.endentity.EndEntityType">
    <void property="type">
     <int>1</int>
    </void>
   </object>
  </void>
  <void property="username">
   <string>${xml(options.username ?? 'user')}</string>
  </void>
 </object>
</java>
`;
}
