package health.careloop.billing.acks;

import java.util.Map;

/**
 * The X12 codes an acknowledgement carries, in words a biller reads: the 277CA's claim status category codes (code
 * source 507) and the claim status codes seen most on claim acknowledgements (code source 508), and the 999's
 * acknowledgement and syntax error codes (005010X231). The category decides acceptance (billing-rules.md 4.1); the
 * status code only explains. A status code not listed here is named by its number, to be looked up in the published
 * list.
 */
final class AcknowledgementCodes {
    private AcknowledgementCodes() {
    }

    /** 277CA STC01-1: what the category means for the claim. */
    enum Category {
        ACCEPTED, REJECTED, OTHER
    }

    /** Claim status category codes of acknowledgements (code source 507). */
    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("A0", "forwarded to another entity"),
            Map.entry("A1", "received"),
            Map.entry("A2", "accepted into the payer's adjudication system"),
            Map.entry("A3", "returned as unprocessable"),
            Map.entry("A4", "not found"),
            Map.entry("A5", "split claim"),
            Map.entry("A6", "rejected for missing information"),
            Map.entry("A7", "rejected for invalid information"),
            Map.entry("A8", "rejected for a relational field in error"),
            Map.entry("DR", "data reporting acknowledgement"));

    /** Claim status codes (code source 508) most often on claim acknowledgements. */
    private static final Map<String, String> STATUS = Map.ofEntries(
            Map.entry("1", "for more detailed information, see the remittance advice"),
            Map.entry("3", "claim has been adjudicated and is awaiting payment cycle"),
            Map.entry("15", "the claim was not found"),
            Map.entry("16", "the claim/encounter has been rejected and has not been entered into the adjudication system"),
            Map.entry("19", "entity acknowledges receipt of the claim/encounter"),
            Map.entry("20", "accepted for processing"),
            Map.entry("21", "missing or invalid information"),
            Map.entry("23", "returned to the entity"),
            Map.entry("24", "entity not approved as an electronic submitter"),
            Map.entry("25", "entity not approved"),
            Map.entry("26", "entity not found"),
            Map.entry("29", "subscriber and policy number/contract number mismatched"),
            Map.entry("30", "subscriber and subscriber id mismatched"),
            Map.entry("31", "subscriber and policyholder name mismatched"),
            Map.entry("33", "subscriber and subscriber id not found"),
            Map.entry("35", "claim/encounter not found"),
            Map.entry("41", "special handling required at the payer site"),
            Map.entry("54", "duplicate of a previously processed claim/line"),
            Map.entry("78", "duplicate of an existing claim/line, awaiting processing"),
            Map.entry("84", "service line number greater than maximum allowable for the payer"),
            Map.entry("85", "service line number"),
            Map.entry("97", "patient eligibility not found with the entity"),
            Map.entry("116", "claim submitted to the incorrect payer"),
            Map.entry("125", "entity's name"),
            Map.entry("128", "entity's tax id"),
            Map.entry("145", "entity's specialty/taxonomy code"),
            Map.entry("153", "entity's id number"),
            Map.entry("158", "entity's date of birth"),
            Map.entry("164", "entity's contract/member number"),
            Map.entry("178", "submitted charges"),
            Map.entry("187", "date(s) of service"),
            Map.entry("189", "facility type code"),
            Map.entry("212", "procedure code"),
            Map.entry("228", "type of bill for UB claim"),
            Map.entry("247", "line information"),
            Map.entry("255", "diagnosis code"),
            Map.entry("257", "claim/service not submitted within the required timeframe (timely filing)"),
            Map.entry("306", "detailed description of service"),
            Map.entry("400", "claim is out of balance"),
            Map.entry("447", "diagnosis code pointer is missing or invalid"),
            Map.entry("453", "procedure code modifier(s) for service(s) rendered"),
            Map.entry("454", "procedure code for services rendered"),
            Map.entry("456", "date of service"),
            Map.entry("458", "rendering provider"),
            Map.entry("462", "place of service"),
            Map.entry("479", "previous payment information"),
            Map.entry("496", "submitter not approved for electronic claim submissions on behalf of this entity"),
            Map.entry("507", "HCPCS"),
            Map.entry("510", "future date"),
            Map.entry("516", "other payer reference number"),
            Map.entry("562", "entity's National Provider Identifier (NPI)"),
            Map.entry("564", "the claim's national provider identifier is missing or invalid"),
            Map.entry("673", "patient control number"),
            Map.entry("732", "information submitted inconsistent with billing guidelines"),
            Map.entry("747", "the entity's NPI is not on file with the payer"));

    /** STC01-3 / entity identifier codes that acknowledgements name. */
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("36", "employer"), Map.entry("40", "receiver"), Map.entry("41", "submitter"), Map.entry("77", "service location"),
            Map.entry("82", "rendering provider"), Map.entry("85", "billing provider"), Map.entry("AY", "clearinghouse"),
            Map.entry("IL", "subscriber"), Map.entry("PR", "payer"), Map.entry("QC", "patient"));

    static Category category(String code) {
        return switch (code == null ? "" : code) {
            case "A1", "A2", "A5" -> Category.ACCEPTED; // billing-rules.md 4.1: received, accepted into adjudication, split
            case "A3", "A4", "A6", "A7", "A8" -> Category.REJECTED; // returned, not found, missing, invalid, relational
            default -> Category.OTHER;
        };
    }

    /** "A7 rejected for invalid information: 21 missing or invalid information (billing provider)". */
    static String claimStatus(String category, String status, String entity) {
        StringBuilder s = new StringBuilder();
        s.append(category).append(' ').append(CATEGORIES.getOrDefault(category, "(category not known to CareLoop)"));
        if (status != null) {
            s.append(": ").append(status).append(' ').append(STATUS.getOrDefault(status, "(status code " + status + " of the X12 claim status code list)"));
        }
        if (entity != null) {
            s.append(" (").append(ENTITIES.getOrDefault(entity, "entity " + entity)).append(')');
        }
        return s.toString();
    }

    /** IK501 / AK901: what the clearinghouse decided about a transaction set or group. */
    static String acknowledgement(String code) {
        return switch (code == null ? "" : code) {
            case "A" -> "accepted";
            case "E" -> "accepted with errors noted";
            case "P" -> "partially accepted (at least one transaction set rejected)";
            case "M" -> "rejected: message authentication code failed";
            case "R" -> "rejected";
            case "W" -> "rejected: assurance failed validity tests";
            case "X" -> "rejected: content could not be analysed";
            default -> "acknowledgement code " + code;
        };
    }

    /** IK501 / AK901 codes that reject (everything but A, E and P). */
    static boolean rejects(String code) {
        return code != null && !code.equals("A") && !code.equals("E") && !code.equals("P");
    }

    /** IK502-IK506: implementation transaction set syntax errors. */
    static String transactionSetError(String code) {
        return switch (code) {
            case "1" -> "transaction set not supported";
            case "2" -> "transaction set trailer missing";
            case "3" -> "transaction set control number in header and trailer do not match";
            case "4" -> "number of included segments does not match the actual count";
            case "5" -> "one or more segments in error";
            case "6" -> "missing or invalid transaction set identifier";
            case "7" -> "missing or invalid transaction set control number";
            case "23" -> "transaction set control number not unique within the functional group";
            case "I5" -> "implementation: one or more segments in error";
            case "I6" -> "implementation convention not supported";
            default -> "syntax error " + code;
        };
    }

    /** AK905-AK909: functional group syntax errors. */
    static String groupError(String code) {
        return switch (code) {
            case "1" -> "functional group not supported";
            case "2" -> "functional group version not supported";
            case "3" -> "functional group trailer missing";
            case "4" -> "group control number in the functional group header and trailer do not agree";
            case "5" -> "number of included transaction sets does not match the actual count";
            case "6" -> "group control number violates syntax";
            case "19" -> "functional group control number not unique within the interchange";
            default -> "group syntax error " + code;
        };
    }

    /** IK304: segment syntax errors. */
    static String segmentError(String code) {
        return switch (code == null ? "" : code) {
            case "1" -> "unrecognized segment";
            case "2" -> "unexpected segment";
            case "3" -> "required segment missing";
            case "4" -> "loop occurs over maximum times";
            case "5" -> "segment exceeds maximum use";
            case "6" -> "segment not in the defined transaction set";
            case "7" -> "segment not in proper sequence";
            case "8" -> "segment has data element errors";
            case "I4" -> "segment marked not used is present";
            case "I6" -> "implementation dependent segment missing";
            case "I7" -> "loop occurs under minimum times";
            case "I8" -> "segment below minimum use";
            case "I9" -> "implementation dependent segment marked not used is present";
            default -> "segment error " + code;
        };
    }

    /** IK403: data element syntax errors. */
    static String elementError(String code) {
        return switch (code == null ? "" : code) {
            case "1" -> "required data element missing";
            case "2" -> "conditional required data element missing";
            case "3" -> "too many data elements";
            case "4" -> "data element too short";
            case "5" -> "data element too long";
            case "6" -> "invalid character in data element";
            case "7" -> "invalid code value";
            case "8" -> "invalid date";
            case "9" -> "invalid time";
            case "10" -> "exclusion condition violated";
            case "12" -> "too many repetitions";
            case "13" -> "too many components";
            case "I6" -> "code value not used in the implementation";
            case "I9" -> "implementation dependent data element missing";
            case "I10" -> "data element marked not used is present";
            case "I11" -> "too few repetitions";
            case "I12" -> "pattern match failure";
            case "I13" -> "implementation dependent data element marked not used is present";
            default -> "element error " + code;
        };
    }
}
