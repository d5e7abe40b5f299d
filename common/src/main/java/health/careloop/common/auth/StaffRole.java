package health.careloop.common.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The roles of a practice's people (issue 4: RN, LPN, MA, care coordinator, physician/NPP; plus billing and admin). */
public enum StaffRole {
    RN, LPN, MA, CARE_COORDINATOR, PHYSICIAN, NPP, BILLING, ADMIN;

    public static Optional<StaffRole> fromWire(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Physicians and non-physician practitioners (NP, PA, CNS): may bill and direct care (billing-rules.md 2.2). */
    public boolean isProvider() {
        return this == PHYSICIAN || this == NPP;
    }

    /** Clinical staff whose time counts toward RPM/CCM under general supervision (billing-rules.md 1.2, 2.1). */
    public boolean isClinicalStaff() {
        return this == RN || this == LPN || this == MA || this == CARE_COORDINATOR;
    }
}
