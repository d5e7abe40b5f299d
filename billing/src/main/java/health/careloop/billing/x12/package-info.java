/**
 * The ANSI X12 837P (005010X222A1) professional claim export (billing-rules.md 4).
 *
 * <p>{@link health.careloop.billing.x12.Claim837Writer} turns immutable inputs ({@link health.careloop.billing.x12.Submitter},
 * {@link health.careloop.billing.x12.Receiver}, {@link health.careloop.billing.x12.Payer},
 * {@link health.careloop.billing.x12.BillingProvider} and one {@link health.careloop.billing.x12.SubscriberClaim} per claim) into
 * one interchange. The inputs check themselves when they are built and refuse what a Medicare Part B claim cannot carry
 * with an {@link java.lang.IllegalArgumentException} that names the field. The document is assembled and printed with
 * imsweb x12-parser's object model and writer, then read back with its 837P 5010 X222A1 mapping; any structural error,
 * or an envelope count, control number or claim total that does not add up, stops the export
 * ({@link health.careloop.billing.x12.Claim837Check}).
 *
 * <p>Not checked here (billing-rules.md 4): HIPAA SNIP level 3+ situational rules and Medicare edits (NCCI, MUE); the
 * month close decides which codes are billed.
 */
package health.careloop.billing.x12;
