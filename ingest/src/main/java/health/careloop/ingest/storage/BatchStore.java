package health.careloop.ingest.storage;

import java.sql.SQLException;
import java.util.List;

/**
 * Where the ingest pipeline writes: one batch in one transaction (readings and dead letters together), a message the
 * database refused on its own to the dead letters, and whether the database answers at all (which tells a poisonous
 * batch from an outage). {@link ReadingStore} in production; a fake in the pipeline's unit tests.
 */
public interface BatchStore {
    /** Commits the batch or throws; nothing of a batch that threw is stored. */
    WriteOutcome write(List<IncomingMessage> batch) throws SQLException;

    WriteOutcome deadLetter(IncomingMessage message, String detail) throws SQLException;

    boolean isReachable();
}
