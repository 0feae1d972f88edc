package io.ledgerline.query.api;

/** A query parameter the API cannot accept. */
public class InvalidParameterException extends RuntimeException {

  private final String parameter;

  public InvalidParameterException(String parameter, String problem) {
    super(parameter + " " + problem, null, false, false);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
