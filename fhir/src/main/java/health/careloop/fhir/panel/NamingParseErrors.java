package health.careloop.fhir.panel;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.StrictErrorHandler;

/**
 * HAPI's strict parsing, with each refusal naming the element it happened in ("unknown element 'colour' in
 * Condition"), so a bad Bundle's 400 says where to look.
 */
final class NamingParseErrors extends StrictErrorHandler {
    private static String where(IParseLocation location) {
        return location == null || location.getParentElementName() == null ? "the Bundle" : location.getParentElementName();
    }

    @Override
    public void unknownElement(IParseLocation location, String name) {
        throw new DataFormatException("unknown element '" + name + "' in " + where(location));
    }

    @Override
    public void unknownAttribute(IParseLocation location, String name) {
        throw new DataFormatException("unknown attribute '" + name + "' in " + where(location));
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String name) {
        throw new DataFormatException("element '" + name + "' repeats in " + where(location) + ", where it may appear once");
    }

    @Override
    public void invalidValue(IParseLocation location, String value, String error) {
        throw new DataFormatException("invalid value '" + value + "' in " + where(location) + ": " + error);
    }
}
