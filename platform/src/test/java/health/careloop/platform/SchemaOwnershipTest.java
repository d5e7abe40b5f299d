package health.careloop.platform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each tier owns its tables (docs/DESIGN.md, "Modules"): a module's SQL — string literals of its Java sources and its
 * {@code .sql} resources under {@code src/main} — names only its own schema; common owns {@code core}. Other tiers'
 * rows are read through the owner's code (its batch reads on the caller's connection). A foreign key in a migration
 * ({@code REFERENCES core.patient}) is allowed: PostgreSQL enforces it and no code reads through it. The few exceptions
 * left are listed in {@link #KNOWN} with why; an entry that no longer occurs fails too, so the list only shrinks.
 */
class SchemaOwnershipTest {
    /** The schema each tier module owns. */
    static final Map<String, String> OWNER = Map.of("common", "core", "ingest", "ingest", "clinical", "clinical", "billing", "billing", "fhir", "fhir");
    /** Modules that own no schema and may name none. */
    static final Set<String> NO_SCHEMA = Set.of("platform", "device-simulator", "embedded", "testkit");
    /** Not a tier: the benchmark harness seeds every schema directly with set-based SQL and is never deployed. */
    static final Set<String> NOT_CHECKED = Set.of("bench");
    static final Set<String> SCHEMAS = Set.of("core", "ingest", "clinical", "billing", "fhir");

    /** Known exceptions: module, file (relative to src/main), qualified name → why. */
    static final Map<String, String> KNOWN = Map.of(
            "common resources/db/practice-isolation.sql clinical.alert",
            "the row-level-security fence is common's and covers every tier's tables by design; clinical.alert_reading has no "
                    + "practice_id and is fenced through its parent alert",
            "billing resources/db/billing/V4__close_rows_checked_per_statement.sql core.patient",
            "the per-statement check that replaced per-row foreign keys to core.patient (an applied migration: Flyway checksums "
                    + "forbid editing it)",
            "clinical java/health/careloop/clinical/patients/PatientProfiles.java core.patient",
            "the patient search orders and limits identity (core) and demographics (clinical) in one statement; not split yet",
            "clinical resources/db/clinical/V25__care_plan_established_on.sql core.practice",
            "the backfill of established_on for versions written before it, in each practice's zone (an applied migration: Flyway "
                    + "checksums forbid editing it); new versions get their day from the Java code through Directory.timeZones");

    /** A string literal is taken for SQL when it holds one of these words in capitals (how this code base writes SQL). */
    private static final Pattern SQL_WORD = Pattern.compile(
            "\\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO|WHERE|RETURNING|REFERENCES|TABLE|TRUNCATE|COPY|CALL|LOCK)\\b");
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.$])(core|ingest|clinical|billing|fhir)\\.([a-z_][a-z0-9_]*)");
    private static final Pattern FOREIGN_KEY = Pattern.compile("\\bREFERENCES\\s+(core|ingest|clinical|billing|fhir)\\.[a-z_][a-z0-9_]*",
            Pattern.CASE_INSENSITIVE);

    @Test
    void everyModuleNamesOnlyItsOwnSchema() throws IOException {
        Path root = root();
        List<String> modules = modules(root);
        assertThat(modules).as("every module in the root pom is classified here").allSatisfy(m ->
                assertThat(OWNER.containsKey(m) || NO_SCHEMA.contains(m) || NOT_CHECKED.contains(m)).as(m).isTrue());

        List<String> violations = new ArrayList<>();
        Set<String> knownSeen = new LinkedHashSet<>();
        for (String module : modules) {
            if (NOT_CHECKED.contains(module)) {
                continue;
            }
            Path main = root.resolve(module).resolve("src/main");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".java") && !name.endsWith(".sql")) {
                        continue;
                    }
                    String relative = main.relativize(file).toString().replace('\\', '/');
                    for (Finding f : foreignNames(module, relative, Files.readString(file))) {
                        String key = module + " " + relative + " " + f.name;
                        if (KNOWN.containsKey(key)) {
                            knownSeen.add(key);
                        } else {
                            violations.add(module + "/src/main/" + relative + ":" + f.line + " names " + f.name);
                        }
                    }
                }
            }
        }
        assertThat(violations).as("SQL naming another tier's schema: read it through the owner's code (DESIGN.md, Modules)").isEmpty();
        assertThat(knownSeen).as("known exceptions that no longer occur: remove them from KNOWN").containsExactlyInAnyOrderElementsOf(KNOWN.keySet());
    }

    // ------------------------------------------------------------------ the checker's own failure paths

    @Test
    void flagsAnotherTiersTableInJavaSql() {
        assertThat(foreignNames("billing", "java/X.java", """
                class X { String q = "SELECT DISTINCT patient_id FROM ingest.reading_day WHERE patient_id = ANY (?)"; }
                """)).extracting(f -> f.name).containsExactly("ingest.reading_day");
        assertThat(foreignNames("clinical", "java/X.java", "class X {\n  String q = \"\"\"\n    SELECT 1\n    FROM core.staff_user\n  \"\"\";\n}"))
                .extracting(f -> f.name + ":" + f.line).containsExactly("core.staff_user:4");
        assertThat(foreignNames("platform", "java/X.java", "class X { String q = \"SELECT * FROM billing.claim_line\"; }"))
                .extracting(f -> f.name).containsExactly("billing.claim_line");
    }

    @Test
    void ignoresOwnSchemaCommentsPackagesAndTextThatIsNotSql() {
        assertThat(foreignNames("billing", "java/X.java", """
                import health.careloop.ingest.storage.ReadingQueries; // reads ingest.reading_day for us
                /* SELECT 1 FROM core.patient */
                class X {
                    String own = "SELECT 1 FROM billing.claim_line";
                    String key = "ingest.batch_size";
                    String escaped = "SELECT \\"x\\" FROM billing.visit";
                    char quote = '"';
                }
                """)).isEmpty();
    }

    @Test
    void allowsForeignKeysInMigrationsButNotReads() {
        assertThat(foreignNames("clinical", "resources/db/clinical/V99__x.sql", """
                -- a comment about core.patient
                CREATE TABLE clinical.x (patient_id uuid NOT NULL REFERENCES core.patient (id));
                CREATE FUNCTION clinical.f() RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM core.patient $$;
                """)).extracting(f -> f.name + ":" + f.line).containsExactly("core.patient:3");
    }

    // ------------------------------------------------------------------ scanning

    record Finding(String name, int line) {
    }

    /** Schema-qualified names of other schemas than {@code module}'s in the SQL of one source file. */
    static List<Finding> foreignNames(String module, String relative, String text) {
        String own = OWNER.get(module);
        List<Finding> result = new ArrayList<>();
        if (relative.endsWith(".sql")) {
            String sql = blankSqlComments(text);
            Matcher fk = FOREIGN_KEY.matcher(sql);
            StringBuilder withoutKeys = new StringBuilder();
            while (fk.find()) {
                fk.appendReplacement(withoutKeys, Matcher.quoteReplacement(" ".repeat(fk.group().length())));
            }
            fk.appendTail(withoutKeys);
            collect(withoutKeys.toString(), 0, text, own, result);
        } else {
            for (int[] literal : javaStringLiterals(text)) {
                String value = text.substring(literal[0], literal[1]);
                if (SQL_WORD.matcher(value).find()) {
                    collect(value, literal[0], text, own, result);
                }
            }
        }
        return result;
    }

    private static void collect(String sql, int offset, String whole, String own, List<Finding> out) {
        Matcher m = QUALIFIED.matcher(sql);
        while (m.find()) {
            if (SCHEMAS.contains(m.group(1)) && !m.group(1).equals(own)) {
                out.add(new Finding(m.group(), lineOf(whole, offset + m.start())));
            }
        }
    }

    /** Start and end offsets of the contents of every string literal and text block, skipping comments and chars. */
    static List<int[]> javaStringLiterals(String s) {
        List<int[]> result = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int start = i + 3;
                int j = start;
                while (j < n && !s.startsWith("\"\"\"", j)) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                result.add(new int[] {start, Math.min(j, n)});
                i = j + 3;
            } else if (c == '"' || c == '\'') {
                int start = i + 1;
                int j = start;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    result.add(new int[] {start, Math.min(j, n)});
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return result;
    }

    /** The SQL with its comments blanked (same length, so offsets and lines stay). */
    private static String blankSqlComments(String sql) {
        StringBuilder out = new StringBuilder(sql);
        Matcher m = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL).matcher(sql);
        while (m.find()) {
            for (int k = m.start(); k < m.end(); k++) {
                if (out.charAt(k) != '\n') {
                    out.setCharAt(k, ' ');
                }
            }
        }
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int k = 0; k < offset; k++) {
            if (text.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static Path root() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("billing")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no CareLoop root above " + dir);
    }

    private static List<String> modules(Path root) {
        try {
            Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
            List<String> modules = new ArrayList<>();
            while (m.find()) {
                modules.add(m.group(1).trim());
            }
            assertThat(modules).as("modules of the root pom").contains("common", "ingest", "clinical", "billing");
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
