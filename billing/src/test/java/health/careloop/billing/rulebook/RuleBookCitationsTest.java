package health.careloop.billing.rulebook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule cited in the code points into the repository's rule book, docs/billing-rules.md: each source tag such as
 * [S17] is in its source list, and each "billing-rules.md 2.1" names a section (or a numbered item of a section) it has.
 */
class RuleBookCitationsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SOURCE_TAG = Pattern.compile("\\[(S[0-9]+)\\]");
    private static final Pattern SECTION = Pattern.compile("billing-rules\\.md(?: section)? ([0-9]+(?:\\.[0-9]+)?)");

    @Test
    void everySourceTagAndSectionCitedInTheCodeIsInTheRuleBook() throws IOException {
        String book = Files.readString(ROOT.resolve("docs/billing-rules.md"));
        Set<String> sources = new HashSet<>();
        Matcher s = Pattern.compile("(?m)^- (S[0-9]+) ").matcher(book);
        while (s.find()) {
            sources.add(s.group(1));
        }
        Set<String> sections = new HashSet<>();
        Matcher h = Pattern.compile("(?m)^#{2,3} ([0-9]+(?:\\.[0-9]+)?)\\.? ").matcher(book);
        while (h.find()) {
            sections.add(h.group(1));
        }
        // Section 7 is a numbered list: "billing-rules.md 7.5" is its fifth item.
        Matcher item = Pattern.compile("(?m)^([0-9]+)\\. \\*\\*").matcher(book.substring(book.indexOf("## 7.")));
        while (item.find()) {
            sections.add("7." + item.group(1));
        }
        assertTrue(sources.size() >= 50, "the source list was read: " + sources.size());
        List<String> missing = new ArrayList<>();
        int citations = 0;
        for (Path file : sourceFiles()) {
            String text = Files.readString(file);
            Matcher tag = SOURCE_TAG.matcher(text);
            while (tag.find()) {
                citations++;
                if (!sources.contains(tag.group(1))) {
                    missing.add(ROOT.relativize(file) + ": " + tag.group());
                }
            }
            Matcher section = SECTION.matcher(text);
            while (section.find()) {
                citations++;
                if (!sections.contains(section.group(1))) {
                    missing.add(ROOT.relativize(file) + ": " + section.group());
                }
            }
        }
        assertTrue(citations > 100, "citations found: " + citations);
        assertEquals(List.of(), missing);
    }

    private static List<Path> sourceFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains("/src/") && !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".sql") || p.toString().endsWith(".js"))
                    .toList();
        }
    }
}
