package health.careloop.billing.x12;

/**
 * Who receives the file (loop 1000B, and the receiver in ISA08/GS03): for Medicare Part B the MAC (or the clearinghouse
 * in between), with the id it publishes in its companion guide.
 *
 * @param name organisation name, NM103 (at most 60 characters)
 * @param id   receiver id, NM109 and ISA08/GS03 (2-15 characters)
 */
public record Receiver(String name, String id) {
    public Receiver {
        name = X12Text.required(name, "Receiver.name", 60);
        id = X12Text.required(id, "Receiver.id", 15);
        if (id.length() < 2) {
            throw new IllegalArgumentException("Receiver.id has 2-15 characters, not " + X12Text.quoted(id));
        }
    }
}
