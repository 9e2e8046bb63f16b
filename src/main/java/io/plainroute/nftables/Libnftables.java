package io.plainroute.nftables;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * Everything native in this package: the libnftables calls that plainroute needs, bound through
 * jnr-ffi and loaded once, on first use, so that code which only renders rulesets never needs
 * the library.
 */
final class Libnftables {
  /** {@code NFT_CTX_DEFAULT}: a context for rulesets, not only for parsing. */
  static final int NFT_CTX_DEFAULT = 0;
  /** {@code NFT_CTX_OUTPUT_JSON}: list commands print JSON. */
  static final int NFT_CTX_OUTPUT_JSON = 1 << 4;

  /** The Debian package that ships the library, for the message when it is missing. */
  static final String PACKAGE = "libnftables1";
  private static final String LIBRARY = "nftables";

  /**
   * The functions of {@code nftables/libnftables.h}. Public only because jnr-ffi implements it
   * in a class loader of its own. A context is not thread-safe: each is used by one thread.
   */
  public interface Api {
    Pointer nft_ctx_new(int flags);

    void nft_ctx_free(Pointer ctx);

    /** Makes the context collect what it prints instead of writing it to stdout. */
    int nft_ctx_buffer_output(Pointer ctx);

    /** Makes the context collect its error messages instead of writing them to stderr. */
    int nft_ctx_buffer_error(Pointer ctx);

    /** Returns what was printed since the last call, and empties the buffer. */
    String nft_ctx_get_output_buffer(Pointer ctx);

    /** Returns the errors since the last call, and empties the buffer. */
    String nft_ctx_get_error_buffer(Pointer ctx);

    void nft_ctx_output_set_flags(Pointer ctx, int flags);

    /** Parses and runs commands, all in one kernel transaction; 0 when all succeeded. */
    int nft_run_cmd_from_buffer(Pointer ctx, String buffer);
  }

  private Libnftables() {
  }

  /** The library, or why it could not be loaded and what to install. */
  static Api api() throws NftablesException {
    if (Holder.API == null) {
      throw new NftablesException(Holder.FAILURE);
    }
    return Holder.API;
  }

  /**
   * Loads a library with the libnftables functions.
   *
   * @param name as jnr-ffi resolves it: {@code nftables} finds {@code libnftables.so.1}
   */
  static Api load(String name) throws NftablesException {
    try {
      return LibraryLoader.create(Api.class).failImmediately().load(name);
    } catch (UnsatisfiedLinkError e) {
      throw new NftablesException("libnftables could not be loaded (" + e.getMessage()
          + "): install the Debian package " + PACKAGE + " (apt-get install " + PACKAGE + ")");
    }
  }

  /** Loads on first use and remembers a failure, so that each caller gets the same message. */
  private static final class Holder {
    private static final Api API;
    private static final String FAILURE;

    static {
      Api api = null;
      String failure = null;
      try {
        api = load(LIBRARY);
      } catch (NftablesException e) {
        failure = e.getMessage();
      }
      API = api;
      FAILURE = failure;
    }
  }
}
