package health.careloop.fhir.r4;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;

import java.util.Date;

/** What {@code /fhir/r4} serves, as its CapabilityStatement ({@code GET /fhir/r4/metadata}). Read-only: read and search. */
public final class CapabilityStatements {
    private CapabilityStatements() {
    }

    public static CapabilityStatement of(String base, Date published) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setId("careloop");
        cs.setUrl(base + "/metadata");
        cs.setName("CareLoopFhirR4");
        cs.setTitle("CareLoop read-only FHIR R4 API");
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(published);
        cs.setPublisher("CareLoop");
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.getSoftware().setName("CareLoop");
        cs.getImplementation().setDescription("CareLoop remote patient monitoring and chronic care management").setUrl(base);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("json");
        cs.addFormat(Fhir.JSON_MEDIA_TYPE);
        var rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.getSecurity().addService(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth",
                "OAuth")).setText("Bearer"))
                .setDescription("Authorization: Bearer <session token from POST /api/v1/auth/login, or the API token>; the roles and practice of "
                        + "/api/v1 apply (another practice's record answers 404); every call is audited.");
        var patient = resource(rest, "Patient", "_id", "identifier");
        patient.addOperation().setName("everything").setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
        resource(rest, "Observation", "patient", "code", "date");
        resource(rest, "Condition", "patient", "code", "onset-date");
        resource(rest, "Consent", "patient", "date");
        resource(rest, "CarePlan", "patient", "date");
        resource(rest, "Device", "patient");
        return cs;
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement.CapabilityStatementRestComponent rest, String type,
                                                                     String... params) {
        CapabilityStatementRestResourceComponent r = rest.addResource().setType(type)
                .setProfile("http://hl7.org/fhir/StructureDefinition/" + type);
        r.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        r.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        for (String p : params) {
            r.addSearchParam().setName(p).setType(switch (p) {
                case "date", "onset-date" -> Enumerations.SearchParamType.DATE;
                case "patient" -> Enumerations.SearchParamType.REFERENCE;
                default -> Enumerations.SearchParamType.TOKEN;
            });
        }
        r.addSearchParam().setName("_count").setType(Enumerations.SearchParamType.NUMBER);
        return r;
    }
}
