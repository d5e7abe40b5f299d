package health.careloop.fhir.r4;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The one HAPI FHIR R4 context of the process: building it scans every resource model (about a second), and it is
 * thread-safe once built. Parsers are cheap and not thread-safe, so each use takes a new one.
 */
public final class Fhir {
    private static final FhirContext CONTEXT = FhirContext.forR4();
    /** The media type of FHIR's JSON (FHIR R4, http.html#mime-type). */
    public static final String JSON_MEDIA_TYPE = "application/fhir+json";
    public static final String VERSION = "4.0.1";

    private Fhir() {
    }

    public static FhirContext context() {
        return CONTEXT;
    }

    public static String json(IBaseResource resource) {
        return CONTEXT.newJsonParser().encodeResourceToString(resource);
    }

    /** A lenient parser for what others send: unknown elements are reported by the importer, not thrown here. */
    public static IParser parser() {
        return CONTEXT.newJsonParser();
    }
}
