package io.ledgerline.platform.web.problem;

/** A query parameter the API cannot accept; the problem names the parameter. */
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
