package io.plainroute.nftables;

import jnr.ffi.Pointer;

/**
 * One libnftables context ({@code struct nft_ctx}) with its output and errors collected in
 * buffers. Not thread-safe, like the C struct: it is created, used and freed on one thread, whose
 * network namespace is the one the context's netlink socket works in.
 */
final class NftContext implements AutoCloseable {
  /**
   * Held around every libnftables call. The library keeps some state per process, not per
   * context: a one-time initialisation in nft_ctx_new and an interface cache that every command
   * releases at its end. Two contexts in two namespaces must therefore take turns.
   */
  private static final Object LIBRARY = new Object();

  private final Libnftables.Api api;
  private Pointer ctx;

  private NftContext(Libnftables.Api api, Pointer ctx) {
    this.api = api;
    this.ctx = ctx;
  }

  /** A context in the calling thread's network namespace. */
  static NftContext create() throws NftablesException {
    Libnftables.Api api = Libnftables.api();
    synchronized (LIBRARY) {
      Pointer ctx = api.nft_ctx_new(Libnftables.NFT_CTX_DEFAULT);
      if (ctx == null) {
        throw new NftablesException("nft_ctx_new failed: libnftables could not allocate a context");
      }
      if (api.nft_ctx_buffer_output(ctx) != 0 || api.nft_ctx_buffer_error(ctx) != 0) {
        api.nft_ctx_free(ctx);
        throw new NftablesException("libnftables could not set up its output buffers");
      }
      return new NftContext(api, ctx);
    }
  }

  /**
   * Runs commands in one transaction: all take effect or none does.
   *
   * @param operation what the commands do, for the message of a failure
   * @param json whether list commands print JSON instead of nft's text
   * @return what the commands printed
   * @throws NftablesException with libnftables' error text when it refused the commands
   */
  String run(String operation, String commands, boolean json) throws NftablesException {
    if (ctx == null) {
      throw new IllegalStateException("the libnftables context is freed");
    }
    int status;
    String output;
    String errors;
    synchronized (LIBRARY) {
      api.nft_ctx_output_set_flags(ctx, json ? Libnftables.NFT_CTX_OUTPUT_JSON : 0);
      status = api.nft_run_cmd_from_buffer(ctx, commands);
      // Read both buffers every time: reading is what empties them for the next command.
      output = orEmpty(api.nft_ctx_get_output_buffer(ctx));
      errors = orEmpty(api.nft_ctx_get_error_buffer(ctx));
    }
    if (status != 0) {
      throw new NftablesException(operation,
          errors.isBlank() ? "libnftables failed (status " + status + ") without saying why" : errors);
    }
    return output;
  }

  @Override
  public void close() {
    if (ctx != null) {
      synchronized (LIBRARY) {
        api.nft_ctx_free(ctx);
      }
      ctx = null;
    }
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }
}
