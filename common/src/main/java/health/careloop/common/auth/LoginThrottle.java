package health.careloop.common.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slows password guessing: after {@code perAccount} failed sign-ins for one e-mail address, or {@code perAddress} from
 * one client address, within {@code window}, further attempts are refused until the oldest failure leaves the window.
 * Both keys matter: one stops a guesser working through one account from many addresses, the other a guesser spraying
 * one password over many accounts. A correct password clears the account's failures. Counts live in this process's
 * memory (bounded, expiring); behind a load balancer each API process counts on its own, which only loosens the limit
 * by the number of processes.
 * <p>
 * An attempt is admitted before its password is checked and counts against both limits while it is in flight: 20
 * concurrent guesses at one account get at most {@code perAccount} bcrypt checks, the rest are refused at once (before,
 * the refusal was checked before bcrypt and the failure counted after it, so 20 parallel guesses all got checked).
 */
public final class LoginThrottle {
    /** How long a caller refused only because of attempts still in flight is asked to wait. */
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(1);

    private final int perAccount;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Attempts> attempts;

    public LoginThrottle(int perAccount, int perAddress, Duration window, Clock clock) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
        // Expiry after the last access: an entry is touched when an attempt is admitted or ends, so it lives while one is
        // in flight and for a whole window after its newest failure.
        this.attempts = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(window).build();
    }

    /** OWASP's usual order of magnitude: a handful of tries per account, more per address (a shared clinic NAT). */
    public static LoginThrottle standard() {
        return new LoginThrottle(5, 30, Duration.ofMinutes(15), Clock.systemUTC());
    }

    /**
     * Admits one sign-in attempt, or refuses it ({@link Admission#refusal()}: how long to wait). An admitted attempt
     * must end with exactly one of {@link Admission#failed()}, {@link Admission#succeeded()} or {@link Admission#abandoned()}.
     */
    public Admission admit(String email, String address) {
        Instant now = clock.instant();
        Attempts account = attempts.get(accountKey(email), k -> new Attempts());
        Duration accountWait = account.reserve(perAccount, now, window);
        if (!accountWait.isZero()) {
            return new Admission(accountWait, null, null);
        }
        Attempts client = attempts.get(addressKey(address), k -> new Attempts());
        Duration clientWait = client.reserve(perAddress, now, window);
        if (!clientWait.isZero()) {
            account.release(null);
            return new Admission(clientWait, null, null);
        }
        return new Admission(Duration.ZERO, account, client);
    }

    /** One admitted (or refused) sign-in attempt. */
    public final class Admission {
        private final Duration wait;
        private final Attempts account;
        private final Attempts client;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Admission(Duration wait, Attempts account, Attempts client) {
            this.wait = wait;
            this.account = account;
            this.client = client;
        }

        /** How long the caller must wait before trying again; empty when this attempt may check its password. */
        public Optional<Duration> refusal() {
            return wait.isZero() ? Optional.empty() : Optional.of(wait);
        }

        /** The password was wrong (or the account unknown): the attempt becomes a failure under both keys. */
        public void failed() {
            if (admittedAndOpen()) {
                Instant now = clock.instant();
                account.release(now);
                client.release(now);
            }
        }

        /** The password was right: the account's failures are forgotten. */
        public void succeeded() {
            if (admittedAndOpen()) {
                account.clearFailures();
                account.release(null);
                client.release(null);
            }
        }

        /** The check could not be made (the database failed): the attempt counts as nothing. */
        public void abandoned() {
            if (admittedAndOpen()) {
                account.release(null);
                client.release(null);
            }
        }

        private boolean admittedAndOpen() {
            return account != null && ended.compareAndSet(false, true);
        }
    }

    /** Failures in the window and attempts in flight under one key. */
    private static final class Attempts {
        private final Deque<Instant> failures = new ArrayDeque<>();
        private int inFlight;

        synchronized Duration reserve(int limit, Instant now, Duration window) {
            prune(now, window);
            if (failures.size() >= limit) {
                Duration left = Duration.between(now, failures.peekFirst().plus(window));
                return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
            }
            if (failures.size() + inFlight >= limit) {
                return IN_FLIGHT_WAIT;
            }
            inFlight++;
            return Duration.ZERO;
        }

        /** Ends an attempt in flight, recording it as a failure at {@code failedAt} unless that is null. */
        synchronized void release(Instant failedAt) {
            inFlight = Math.max(0, inFlight - 1);
            if (failedAt != null) {
                failures.addLast(failedAt);
            }
        }

        synchronized void clearFailures() {
            failures.clear();
        }

        private void prune(Instant now, Duration window) {
            Instant oldest = now.minus(window);
            while (!failures.isEmpty() && !failures.peekFirst().isAfter(oldest)) {
                failures.removeFirst();
            }
        }
    }

    private static String accountKey(String email) {
        return "account:" + email.trim().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }
}
