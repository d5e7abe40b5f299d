package health.careloop.simulator.devices;

/** The home devices CareLoop serves; {@code apiName} is the "kind" of the device registration API. */
public enum DeviceKind {
    BLOOD_PRESSURE_CUFF("blood_pressure_cuff", "bp", "CareLoop Sim Cuff BP-2"),
    GLUCOMETER("glucometer", "glu", "CareLoop Sim Meter G-1"),
    SCALE("scale", "scale", "CareLoop Sim Scale W-3"),
    PULSE_OXIMETER("pulse_oximeter", "ox", "CareLoop Sim Oximeter O-1");

    private final String apiName;
    private final String idInfix;
    private final String model;

    DeviceKind(String apiName, String idInfix, String model) {
        this.apiName = apiName;
        this.idInfix = idInfix;
        this.model = model;
    }

    public String apiName() {
        return apiName;
    }

    /** The part of a device id that names its kind: sim-bp-000001. */
    public String idInfix() {
        return idInfix;
    }

    public String model() {
        return model;
    }
}
