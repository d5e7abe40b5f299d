package health.careloop.fhir.testing;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import health.careloop.fhir.r4.Fhir;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * HAPI's FHIR validator with the R4 core profiles (which include the vital-signs profiles) and no terminology server:
 * structure, cardinality, invariants, fixed codes and profile slices are checked; codes of external systems (LOINC,
 * SNOMED CT, ICD-10-CM) cannot be looked up offline and are only reported as information. Built once per test JVM
 * (it loads the core package, several seconds).
 */
public final class FhirValidation {
    private static FhirValidator validator;

    private FhirValidation() {
    }

    public static synchronized FhirValidator validator() {
        if (validator == null) {
            var ctx = Fhir.context();
            ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(ctx),
                    new CommonCodeSystemsTerminologyService(ctx), new InMemoryTerminologyServerValidationSupport(ctx),
                    new SnapshotGeneratingValidationSupport(ctx));
            FhirInstanceValidator module = new FhirInstanceValidator(chain);
            module.setAnyExtensionsAllowed(true);
            validator = ctx.newValidator().registerValidatorModule(module);
        }
        return validator;
    }

    /** The errors (and fatal errors) the validator finds, each as "location: message"; empty when valid. */
    public static List<String> errors(IBaseResource resource) {
        ValidationResult result = validator().validateWithResult(resource);
        return result.getMessages().stream().filter(FhirValidation::isError)
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }

    /** As {@link #errors(IBaseResource)}, for a resource as JSON text (what the API sent). */
    public static List<String> errors(String json) {
        ValidationResult result = validator().validateWithResult(json);
        return result.getMessages().stream().filter(FhirValidation::isError)
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }

    private static boolean isError(SingleValidationMessage m) {
        return m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL;
    }
}
