// Which vetted data a scan compared the certificates with (EJBCA's snapshots, else the orders
// table): the counts by affected certificate and the sentence summary.md and the CLI print.
import { describe, expect, it } from 'vitest';
import { countVettedFrom, vettedDataOf, vettedDataSentence } from '../../src/reports/vetted_data.js';
import { affected } from './affected_fixture.js';

const use = { table: 'CertReqHistoryData', ordersTable: 'UserData', read: 12, unreadable: 0, notRead: null };

describe('vetted data', () => {
  it('counts the affected certificates compared with their snapshot and with the orders table; one without a source counts in neither', () => {
    const vetted = vettedDataOf(use);
    countVettedFrom(vetted, [affected({}, { vettedFrom: 'snapshot' }), affected({}, { vettedFrom: 'orders' }), affected({}, { vettedFrom: 'snapshot' }), affected()]);
    expect(vetted).toEqual({ ...use, affectedFromSnapshot: 2, affectedFromOrders: 1 });
    countVettedFrom(vetted, [affected({}, { vettedFrom: 'orders' })]);
    expect(vetted.affectedFromOrders).toBe(2);
  });

  it('the sentence: snapshots read (and how many unreadable), the counts; or why none were read', () => {
    const vetted = { ...vettedDataOf({ ...use, unreadable: 2 }), affectedFromSnapshot: 3, affectedFromOrders: 1 };
    expect(vettedDataSentence(vetted)).toBe(
      'vetted data from `CertReqHistoryData` (the end entity as it was at issuance; 12 snapshots read, 2 of them unreadable) where a certificate has a readable one, else `UserData` as it is now; ' +
        'affected certificates compared with their snapshot: 3, with `UserData`: 1',
    );
    expect(vettedDataSentence({ ...vetted, unreadable: 0 })).toContain('; 12 snapshots read) where');
    expect(vettedDataSentence({ ...vetted, notRead: 'no table CertReqHistoryData' })).toBe(
      'vetted data from `UserData` as it is now (`CertReqHistoryData`, the end entity at each issuance, not read: no table CertReqHistoryData)',
    );
  });
});
