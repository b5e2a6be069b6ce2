package io.troupe.router;

import java.util.Set;

/**
 * A directory that holds groups of identities (R16), such as an LDAP server: a community formed
 * from a group takes the group's members as the identities that may join it. The gateway asks it at
 * every refresh; an implementation may block for as long as its timeouts allow, so it is never
 * called under the router's lock.
 */
public interface GroupDirectory {

  /**
   * The names of the members of {@code group}, as the directory maps its entries to identities (for
   * LDAP, the configured identity attribute such as {@code uid}). Names are returned as the
   * directory holds them; the router lower-cases them and skips those that name no identity.
   *
   * @param group the group's name as the directory knows it (for LDAP, its DN)
   * @param atMost the caller refuses more members than this: an implementation may stop reading
   *     once it has found one more
   * @throws DirectoryException when the directory cannot be reached or read, or holds no such
   *     group; the message says why, for the community's {@code group_status}
   */
  Set<String> members(String group, int atMost) throws DirectoryException;

  /** A group could not be read: the directory is unreachable, refused us, or has no such group. */
  final class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether the directory answered (a missing group) rather than being unreachable. */
    private final boolean reached;

    public DirectoryException(final String message, final boolean reached, final Throwable cause) {
      super(message, cause);
      this.reached = reached;
    }

    /** Whether the directory answered and only this group is wrong (no such entry, say). */
    public boolean reached() {
      return reached;
    }
  }
}
