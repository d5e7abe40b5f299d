/**
 * The billing tier: the time ledger, data days per period, month close and claim exports. Issue 5 builds it; the
 * data days it will count are already kept by ingest (ingest.reading_day, read through ReadingQueries#dataDays).
 */
package health.careloop.billing;
