package health.careloop.billing.x12;

import java.util.regex.Pattern;

/**
 * Who sends the file (loop 1000A, and the sender in ISA06/GS02): usually the practice or its clearinghouse, with the
 * submitter id the MAC or clearinghouse assigned.
 *
 * @param name         organisation name, NM103 (at most 60 characters)
 * @param id           submitter id, NM109 and ISA06/GS02 (2-15 characters)
 * @param contactName  EDI contact, PER02 (at most 60 characters)
 * @param contactPhone EDI contact's telephone, PER04: 10 digits, no punctuation
 */
public record Submitter(String name, String id, String contactName, String contactPhone) {
    private static final Pattern PHONE = Pattern.compile("[0-9]{10}");

    public Submitter {
        name = X12Text.required(name, "Submitter.name", 60);
        id = X12Text.required(id, "Submitter.id", 15);
        if (id.length() < 2) {
            throw new IllegalArgumentException("Submitter.id has 2-15 characters, not " + X12Text.quoted(id));
        }
        contactName = X12Text.required(contactName, "Submitter.contactName", 60);
        contactPhone = X12Text.matching(contactPhone, "Submitter.contactPhone", PHONE, "10 digits without punctuation");
    }
}
