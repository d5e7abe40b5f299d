package health.careloop.platform.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which tiers one process runs (CARELOOP_ROLE). */
public enum Role {
    ALL, INGEST, CLINICAL, BILLING;

    public static Optional<Role> byName(String name) {
        return Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(name.trim())).findFirst();
    }

    public boolean runsIngest() {
        return this == ALL || this == INGEST;
    }

    public boolean runsClinical() {
        return this == ALL || this == CLINICAL;
    }

    public boolean runsBilling() {
        return this == ALL || this == BILLING;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
