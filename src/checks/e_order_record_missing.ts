import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';

/** A certificate with no vetted order behind it cannot show that its subject was verified. */
export default defineCheck({
  name: 'e_order_record_missing',
  description: 'Certificate has no order record (order_id empty or not in the orders table)',
  citation: 'BR 3.2.2 and 4.2.1: subject identity information must be validated before issuance; the CA must be able to show it (BR 5.4.1)',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  // A CT entry the database does not know at all is e_ct_unknown_issuance instead.
  appliesTo: ({ row }) => row.unknownIssuance !== true,
  execute: ({ row }) => {
    if (row.order !== null) return PASS;
    return {
      status: 'error',
      detail: row.orderId === null || row.orderId === '' ? 'certificate row has no order_id' : `order_id ${row.orderId} has no row in the orders table`,
    };
  },
});
