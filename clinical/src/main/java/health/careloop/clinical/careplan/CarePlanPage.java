package health.careloop.clinical.careplan;

import health.careloop.clinical.patients.PatientProfile;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/** The patient's printable copy of the care plan: plain HTML and CSS, every value escaped, no scripts. */
public final class CarePlanPage {
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font-family:Georgia,'Times New Roman',serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;border-bottom:1px solid #999;margin-top:1.6rem;padding-bottom:.2rem}
            .meta{color:#444;font-size:.9rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top}
            th{background:#eee}.empty{color:#666;font-style:italic}
            @media print{body{margin:0;max-width:none}a{color:#000}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
            """;

    private CarePlanPage() {
    }

    public static String render(CarePlanVersion version, PatientProfile profile) {
        CarePlan plan = version.plan();
        StringBuilder html = new StringBuilder(4096);
        String name = profile == null ? "Patient" : profile.givenName() + " " + profile.familyName();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Care plan – ").append(escape(name))
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>Care plan for ").append(escape(name)).append("</h1>\n<p class=\"meta\">");
        if (profile != null) {
            html.append("Date of birth ").append(escape(profile.birthDate().toString())).append(" · ");
        }
        html.append("Version ").append(version.version()).append(", written ").append(escape(WRITTEN.format(version.createdAt())))
                .append(" by ").append(escape(version.authorName())).append(" · Next review ").append(escape(plan.reviewDate().toString()))
                .append("</p>\n");

        section(html, "Health problems", plan.problems(), List.of("Condition", "Code"), p -> List.of(p.description(), p.icd10()));
        paragraph(html, "Expected outcome", plan.expectedOutcome());
        paragraph(html, "Prognosis", plan.prognosis());
        section(html, "Goals", plan.goals(), List.of("Goal", "Target", "By"), g -> List.of(g.description(), g.target(), g.targetDate().toString()));
        paragraph(html, "Managing symptoms", plan.symptomManagement());
        section(html, "What we will do", plan.interventions(), List.of("Action", "Who"), i -> List.of(i.description(), i.responsibleParty()));
        section(html, "Medications", plan.medications(), List.of("Medication", "Dose", "How often"), m -> List.of(m.name(), m.dose(), m.frequency()));
        section(html, "Community resources", plan.communityResources(), List.of("Resource", "Details"),
                r -> List.of(r.name(), r.details() == null ? "" : r.details()));
        section(html, "Other providers caring for you", plan.coordinatingProviders(), List.of("Name", "Role", "Contact"),
                p -> List.of(p.name(), p.role(), p.contact() == null ? "" : p.contact()));
        html.append("<h2>Changes in this version</h2>\n<p>").append(escape(version.changeNote())).append("</p>\n");
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void paragraph(StringBuilder html, String title, String text) {
        html.append("<h2>").append(escape(title)).append("</h2>\n<p>").append(escape(text).replace("\n", "<br>")).append("</p>\n");
    }

    private static <T> void section(StringBuilder html, String title, List<T> items, List<String> headers, Function<T, List<String>> cells) {
        html.append("<h2>").append(escape(title)).append("</h2>\n");
        if (items.isEmpty()) {
            html.append("<p class=\"empty\">None recorded.</p>\n");
            return;
        }
        html.append("<table><thead><tr>");
        headers.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        for (T item : items) {
            html.append("<tr>");
            cells.apply(item).forEach(c -> html.append("<td>").append(escape(c)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
