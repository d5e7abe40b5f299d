package health.careloop.ingest.payload;

/**
 * One thing that goes to the dead letters.
 *
 * @param elementIndex position in an array payload, or -1 when the whole message was refused
 * @param raw          the bytes that were refused: the whole payload, or the one array element
 */
public record Rejection(RejectReason reason, String detail, int elementIndex, byte[] raw) {
}
