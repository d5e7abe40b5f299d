package health.careloop.testing;

import io.vertx.core.Context;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs a step of a test on a Vert.x context (where the code under test expects to be called) and waits for its result. */
public final class OnContext {
    private OnContext() {
    }

    /** The action's result, or its exception rethrown here (wrapped in a {@link java.util.concurrent.CompletionException}). */
    public static <T> T call(Context context, Supplier<T> action) {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                done.complete(action.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.join();
    }
}
