package health.careloop.fhir.r4;

import health.careloop.ingest.devices.Assignment;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRecord;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/** A home device as a FHIR Device: its id as identifier, its kind (SNOMED CT) and model, and the patient who has it now. */
public final class DeviceResources {
    private DeviceResources() {
    }

    public static Device of(DeviceRecord d, Instant now) {
        Device r = new Device();
        ResourceIds.device(d.deviceId()).ifPresent(r::setId);
        r.addIdentifier(new Identifier().setSystem(CodeSystems.DEVICE_ID).setValue(d.deviceId()));
        r.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        r.addDeviceName().setName(d.deviceId()).setType(Device.DeviceNameType.USERFRIENDLYNAME);
        if (d.model() != null && !d.model().isBlank()) {
            r.setModelNumber(d.model());
        }
        r.setType(type(d.kind()));
        UUID holder = d.assignments().stream().filter(a -> a.covers(now)).map(Assignment::patientId).findFirst()
                .orElse(d.assignments().stream().max(Comparator.comparing(Assignment::validFrom)).map(Assignment::patientId).orElse(null));
        if (holder != null) {
            r.setPatient(new Reference("Patient/" + holder));
        }
        return r;
    }

    static CodeableConcept type(DeviceKind kind) {
        return switch (kind) {
            case BLOOD_PRESSURE_CUFF -> snomed("70665002", "Blood pressure cuff", kind);
            case GLUCOMETER -> snomed("337414009", "Blood glucose meter", kind);
            case SCALE -> snomed("19892000", "Scale", kind);
            case PULSE_OXIMETER -> snomed("448703006", "Pulse oximeter", kind);
        };
    }

    private static CodeableConcept snomed(String code, String display, DeviceKind kind) {
        return new CodeableConcept(new Coding(CodeSystems.SNOMED, code, display)).setText(kind.wireName());
    }
}
