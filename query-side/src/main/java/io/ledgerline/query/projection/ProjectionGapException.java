package io.ledgerline.query.projection;

/**
 * An event arrived before its predecessor reached the read model (for example while a rebuilt index
 * is still catching up). Not poison: retried until the predecessor is there.
 */
public class ProjectionGapException extends RuntimeException {

  public ProjectionGapException(String message) {
    super(message);
  }
}
