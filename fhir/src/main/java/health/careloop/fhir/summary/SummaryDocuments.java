package health.careloop.fhir.summary;

import health.careloop.fhir.r4.CodeSystems;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;

/**
 * A monthly summary as a FHIR DocumentReference an EHR can file: LOINC 11506-3 (progress note), the patient, the month
 * as its context period, and the PDF inline (base64) with its size and SHA-1 hash.
 */
public final class SummaryDocuments {
    public static final String LOINC_PROGRESS_NOTE = "11506-3";

    private SummaryDocuments() {
    }

    public static DocumentReference of(MonthlySummary s, byte[] pdf) {
        DocumentReference d = new DocumentReference();
        d.setId("summary-" + s.patientId() + "-" + s.month());
        d.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        d.setType(new CodeableConcept(new Coding(CodeSystems.LOINC, LOINC_PROGRESS_NOTE, "Progress note"))
                .setText("Monthly remote monitoring and care management summary"));
        d.setSubject(new Reference("Patient/" + s.patientId()));
        d.setDate(Date.from(s.generatedAt()));
        d.addAuthor(new Reference().setDisplay("CareLoop"));
        d.setDescription("CareLoop summary of " + s.month() + ": readings, alerts, minutes, care plan and claims");
        Attachment a = new Attachment().setContentType("application/pdf").setLanguage("en-US").setData(pdf)
                .setTitle("careloop-summary-" + s.mrn() + "-" + s.month() + ".pdf").setCreationElement(new DateTimeType(Date.from(s.generatedAt())));
        a.setSize(pdf.length);
        try {
            a.setHash(java.security.MessageDigest.getInstance("SHA-1").digest(pdf));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        d.addContent().setAttachment(a);
        d.getContext().setPeriod(new Period().setStartElement(new DateTimeType(s.month().atDay(1).toString()))
                .setEndElement(new DateTimeType(s.month().atEndOfMonth().toString())));
        return d;
    }
}
