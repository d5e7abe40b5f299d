package health.careloop.fhir.summary;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.NotBilled;
import health.careloop.clinical.alerts.Alert;
import health.careloop.clinical.careplan.CarePlan;

import java.io.ByteArrayOutputStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** A monthly summary as a PDF (OpenPDF): one document a patient-month, in sections a physician reads top to bottom. */
public final class SummaryPdf {
    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 15);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11);
    private static final Font TEXT = FontFactory.getFont(FontFactory.HELVETICA, 9);
    private static final Font BOLD = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 9);
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private SummaryPdf() {
    }

    public static byte[] render(MonthlySummary s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.LETTER, 40, 40, 40, 40);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle("Monthly summary " + s.month() + " " + s.mrn());
            doc.addCreator("CareLoop");
            doc.open();
            doc.add(new Paragraph("Remote monitoring and care management: " + s.month(), TITLE));
            doc.add(new Paragraph(s.patientName() + " · MRN " + s.mrn() + " · " + s.practiceName(), TEXT));
            doc.add(new Paragraph("Generated " + AT.format(s.generatedAt().atZone(s.zone())) + " (" + s.zone() + ")", TEXT));

            heading(doc, "Readings");
            doc.add(new Paragraph("Data days: " + s.dataDays() + " of " + s.month().lengthOfMonth() + " (days with at least one reading, in the practice's zone).", TEXT));
            if (s.measures().isEmpty()) {
                doc.add(new Paragraph("No readings this month.", TEXT));
            } else {
                PdfPTable t = table(new float[] {3, 1, 2, 1.3f, 4}, "Measure", "Readings", "Range", "Mean", "Trend");
                for (MonthlySummary.Measure m : s.measures()) {
                    row(t, m.name() + " (" + m.unit() + ")", Integer.toString(m.count()), m.min() + " – " + m.max(), m.mean().toPlainString(), m.trend());
                }
                doc.add(t);
            }

            heading(doc, "Alerts and outcomes");
            if (s.alerts().isEmpty()) {
                doc.add(new Paragraph("No alerts this month.", TEXT));
            } else {
                PdfPTable t = table(new float[] {2, 1.2f, 4, 1.3f, 4}, "Raised", "Severity", "Alert", "Status", "Outcome");
                for (Alert a : s.alerts()) {
                    row(t, AT.format(a.raisedAt().atZone(s.zone())), a.severity(), a.message(), a.status(),
                            a.outcome() != null ? a.outcome() : a.escalationReason() != null ? "escalated: " + a.escalationReason() : "—");
                }
                doc.add(t);
            }

            heading(doc, "Minutes by program and activity");
            if (s.minutes().isEmpty()) {
                doc.add(new Paragraph("No time logged this month.", TEXT));
            } else {
                PdfPTable t = table(new float[] {1, 3, 1}, "Program", "Activity", "Minutes");
                for (Map.Entry<String, Map<String, Integer>> program : s.minutes().entrySet()) {
                    int total = 0;
                    for (Map.Entry<String, Integer> activity : program.getValue().entrySet()) {
                        row(t, program.getKey(), activity.getKey(), Integer.toString(activity.getValue()));
                        total += activity.getValue();
                    }
                    row(t, program.getKey(), "total", Integer.toString(total));
                }
                doc.add(t);
            }

            heading(doc, "Care plan in force");
            if (s.carePlanInForce() == null) {
                doc.add(new Paragraph("No care plan established by the end of the month.", TEXT));
            } else {
                var v = s.carePlanInForce();
                CarePlan plan = v.plan();
                doc.add(new Paragraph("Version " + v.version() + ", established " + v.establishedOn() + " by " + v.authorName() + "; review by "
                        + plan.reviewDate() + ".", TEXT));
                doc.add(new Paragraph("Problems: " + String.join("; ", plan.problems().stream().map(p -> p.icd10() + " " + p.description()).toList()), TEXT));
                doc.add(new Paragraph("Goals: " + String.join("; ", plan.goals().stream().map(g -> g.description() + ": " + g.target() + " by " + g.targetDate()).toList()), TEXT));
            }

            heading(doc, "Claims");
            if (!s.monthClosed()) {
                doc.add(new Paragraph("The practice has not closed " + s.month() + " yet: no claim lines.", TEXT));
            } else {
                if (s.claimLines().isEmpty()) {
                    doc.add(new Paragraph("No claim lines for this patient.", TEXT));
                } else {
                    PdfPTable t = table(new float[] {1, 0.6f, 1.5f, 5}, "Code", "Units", "Date of service", "Why");
                    for (ClaimLine l : s.claimLines()) {
                        row(t, l.code().cpt(), Integer.toString(l.units()), l.dateOfService().toString(), l.justification());
                    }
                    doc.add(t);
                }
                List<NotBilled> notBilled = s.notBilled();
                if (!notBilled.isEmpty()) {
                    PdfPTable t = table(new float[] {1, 6}, "Not billed", "Why not");
                    for (NotBilled n : notBilled) {
                        row(t, n.code().cpt(), n.reason());
                    }
                    doc.add(t);
                }
            }
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("The summary PDF could not be written", e);
        }
        return out.toByteArray();
    }

    private static void heading(Document doc, String text) throws DocumentException {
        Paragraph p = new Paragraph(text, HEADING);
        p.setSpacingBefore(10);
        p.setSpacingAfter(4);
        doc.add(p);
    }

    private static PdfPTable table(float[] widths, String... headers) {
        PdfPTable t = new PdfPTable(widths);
        t.setWidthPercentage(100);
        for (String h : headers) {
            t.addCell(new PdfPCell(new Phrase(h, BOLD)));
        }
        t.setHeaderRows(1);
        return t;
    }

    private static void row(PdfPTable t, String... cells) {
        for (String c : cells) {
            t.addCell(new PdfPCell(new Phrase(c == null ? "" : c, TEXT)));
        }
    }
}
