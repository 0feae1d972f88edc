package io.ledgerline.command.personaldata;

/** New personal data for an owner whose personal data was erased: erasure is final. */
public class PersonalDataErasedException extends RuntimeException {

  private final String ownerId;

  public PersonalDataErasedException(String ownerId) {
    super(
        "the personal data of owner "
            + ownerId
            + " was erased: no new personal data (profile, reference, reason) is taken for them",
        null,
        false,
        false);
    this.ownerId = ownerId;
  }

  public String ownerId() {
    return ownerId;
  }
}
