/**
 * The clinical tier: patients, conditions, consent, care plans, alert rules, alerts and CCM tasks. Issue 4 builds it;
 * until then the platform's minimal patient identities (core schema) stand in, and this module holds no code.
 */
package health.careloop.clinical;
