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

/**
 * Slows password guessing: after {@code perAccount} failed sign-ins for one e-mail address, or {@code perAddress} from
 * one client address, within {@code window}, further attempts are refused until the oldest failure leaves the window.
 * Both keys matter: one stops a guesser working through one account from many addresses, the other a guesser spraying
 * one password over many accounts. A correct password clears the account's failures. Counts live in this process's
 * memory (bounded, expiring); behind a load balancer each API process counts on its own, which only loosens the limit
 * by the number of processes. The caller refuses before checking the password, so a locked account costs no bcrypt.
 */
public final class LoginThrottle {
    private final int perAccount;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Deque<Instant>> failures;

    public LoginThrottle(int perAccount, int perAddress, Duration window, Clock clock) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(window).build();
    }

    /** OWASP's usual order of magnitude: a handful of tries per account, more per address (a shared clinic NAT). */
    public static LoginThrottle standard() {
        return new LoginThrottle(5, 30, Duration.ofMinutes(15), Clock.systemUTC());
    }

    /** How long the caller must wait before trying again, or empty when this attempt may go ahead. */
    public Optional<Duration> refusal(String email, String address) {
        Instant now = clock.instant();
        Duration account = wait(accountKey(email), perAccount, now);
        Duration client = wait(addressKey(address), perAddress, now);
        Duration longer = account.compareTo(client) >= 0 ? account : client;
        return longer.isZero() ? Optional.empty() : Optional.of(longer);
    }

    public void failed(String email, String address) {
        Instant now = clock.instant();
        record(accountKey(email), now);
        record(addressKey(address), now);
    }

    public void succeeded(String email) {
        failures.invalidate(accountKey(email));
    }

    private Duration wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.getIfPresent(key);
        if (times == null) {
            return Duration.ZERO;
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < limit) {
                return Duration.ZERO;
            }
            Duration left = Duration.between(now, times.peekFirst().plus(window));
            return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
        }
    }

    private void record(String key, Instant now) {
        Deque<Instant> times = failures.get(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
        failures.put(key, times); // restarts the expiry so a slow, steady guesser is still counted
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
    }

    private static String accountKey(String email) {
        return "account:" + email.trim().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }
}
