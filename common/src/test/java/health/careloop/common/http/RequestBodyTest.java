package health.careloop.common.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the one request-body helper takes and what it refuses, naming the field (issue 14). */
class RequestBodyTest {
    private static RequestBody body(JsonObject json) {
        return RequestBody.of(json);
    }

    private static ApiException refusal(Runnable read) {
        try {
            read.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void nulIsRefusedInEveryKindOfFieldNamingTheField() {
        RequestBody b = body(new JsonObject().put("name", "Ana\u0000").put("note", "a\u0000b").put("only", "\u0000")
                .put("address", new JsonObject().put("line1", "12 Elm\u0000St"))
                .put("goals", new JsonArray().add(new JsonObject().put("target", "\u0000"))));
        for (ApiException e : new ApiException[]{refusal(() -> b.string("name", 100)), refusal(() -> b.text("note", 100)),
                refusal(() -> b.string("only", 100)), refusal(() -> b.object("address").string("line1", 100)),
                refusal(() -> b.objects("goals", 5).get(0).string("target", 100))}) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_text");
            assertThat(e.getMessage()).contains("NUL characters (U+0000)");
        }
        assertThat(refusal(() -> b.string("name", 100)).getMessage()).startsWith("'name' ");
        assertThat(refusal(() -> b.object("address").string("line1", 100)).getMessage()).startsWith("'address.line1' ");
        assertThat(refusal(() -> b.objects("goals", 5).get(0).string("target", 100)).getMessage()).startsWith("'goals[0].target' ");
        assertThat(refusal(() -> b.optionalUuid("only")).code()).isEqualTo("invalid_text");
    }

    @Test
    void oneLineFieldsRefuseEveryControlCharacterAndFreeTextKeepsTabAndLineBreaks() {
        RequestBody b = body(new JsonObject().put("multi", "line one\r\n\tline two").put("escape", "red\u001b[31m").put("del", "a\u007fb")
                .put("c1", "a\u0085b").put("edges", "  \t trimmed \r\n"));
        assertThat(b.text("multi", 100)).isEqualTo("line one\r\n\tline two");
        assertThat(refusal(() -> b.string("multi", 100)).getMessage()).contains("U+000D").contains("one line of text");
        assertThat(refusal(() -> b.text("escape", 100)).getMessage()).contains("U+001B").contains("tab and line breaks are allowed");
        assertThat(refusal(() -> b.text("del", 100)).getMessage()).contains("U+007F");
        assertThat(refusal(() -> b.string("c1", 100)).getMessage()).contains("U+0085");
        assertThat(b.string("edges", 100)).isEqualTo("trimmed");
    }

    @Test
    void formulaStringsLongStringsAndOddUnicodeAreTextLikeAnyOther() {
        RequestBody b = body(new JsonObject().put("f", "=1+1").put("at", "@SUM(A1)").put("minus", "-1").put("emoji", "😀👍🏽")
                .put("rtl", "\u202Eevil\u202C").put("lone", "a\uD800b").put("long", "x".repeat(101)));
        assertThat(b.string("f", 100)).isEqualTo("=1+1"); // neutralised where it matters: CSV exports (CsvCell)
        assertThat(b.string("at", 100)).isEqualTo("@SUM(A1)");
        assertThat(b.string("minus", 100)).isEqualTo("-1");
        assertThat(b.string("emoji", 100)).isEqualTo("😀👍🏽");
        assertThat(b.string("rtl", 100)).isEqualTo("\u202Eevil\u202C");
        assertThat(refusal(() -> b.string("lone", 100)).getMessage()).isEqualTo("'lone' is not valid Unicode text (an unpaired surrogate).");
        assertThat(refusal(() -> b.string("long", 100)).getMessage()).isEqualTo("'long' must be at most 100 characters.");
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingItWhereverItIs() {
        assertThat(duplicate("{\"systolic\":120,\"systolic\":300}")).isEqualTo("'systolic' appears more than once in the request body; send each key once.");
        assertThat(duplicate("{\"address\":{\"zip\":\"60601\",\"zip\":\"60602\"}}")).startsWith("'address.zip' appears");
        assertThat(duplicate("{\"goals\":[{\"a\":1},{\"target\":\"x\",\"target\":\"y\"}]}")).startsWith("'goals[1].target' appears");
        RequestBody.refuseDuplicateKeys("{\"a\":{\"b\":1},\"b\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8)); // same names, other objects
        assertThatThrownBy(() -> RequestBody.refuseDuplicateKeys("{\"a\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_json"));
    }

    private static String duplicate(String json) {
        ApiException e = refusal(() -> RequestBody.refuseDuplicateKeys(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("duplicate_key");
        return e.getMessage();
    }

    @Test
    void datesAndTimesOutsideWhatTheDatabaseHoldsAreRefused() {
        assertThat(refusal(() -> RequestBody.parseDate("onset", "+10000-01-01")).getMessage()).contains("from 1900-01-01 to 9999-12-31");
        assertThat(refusal(() -> RequestBody.parseDate("onset", "1899-12-31")).getMessage()).contains("from 1900-01-01");
        assertThat(RequestBody.parseDate("onset", "2026-02-28")).hasToString("2026-02-28");
        assertThat(refusal(() -> RequestBody.parseUuid("id", "1-1-1-1-1")).getMessage()).isEqualTo("'id' must be a UUID.");
    }
}
