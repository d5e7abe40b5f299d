package health.careloop.simulator.registration;

import java.time.LocalDate;

/**
 * A simulated patient's demographics as POST /patients/{id}/profile takes them. Synthetic: the names are invented,
 * the MBI only has the CMS format, the phone numbers are in the 555-01xx range reserved for fiction.
 */
public record Demographics(String givenName, String familyName, LocalDate birthDate, String sex, String mbi,
                           String phone, Address address) {

    public record Address(String line1, String city, String state, String zip) {
    }
}
