/* cachet-test-server.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-test-server.h"

/* Long enough for a TLS handshake under the sanitizers, short enough that a
 * stuck test fails with a message rather than by meson's kill. */
#define WAIT_TIMEOUT_MS 20000

/* What the server holds of the client's input at most: the client under test
 * must not make the test itself unbounded. */
#define MAX_CLIENT_INPUT (1024 * 1024)

/**
 * cachet_test_peer_missing:
 * @format: why the test cannot run, printf-style
 *
 * Skips the current test because a peer (a program, a server, root) is
 * missing, or fails it when the environment variable CI is "true": CI
 * installs every peer, so a missing one there is a broken setup, not a reason
 * to pass.
 */
void
cachet_test_peer_missing (const char *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("%s (a missing peer is a failure when CI=true)", message);
  else
    g_test_skip (message);
}

/**
 * cachet_test_require_program:
 * @program: a program the test runs, looked up in PATH
 *
 * Returns: %TRUE if @program is installed; otherwise the test has been
 *   skipped or failed (see cachet_test_peer_missing()) and must return
 */
gboolean
cachet_test_require_program (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path != NULL)
    return TRUE;

  cachet_test_peer_missing ("%s is not installed", program);
  return FALSE;
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*DoneFunc) (gpointer data);

/* Iterates the thread-default main context until @done or the deadline. */
static gboolean
run_until (DoneFunc done,
           gpointer data)
{
  GMainContext *context = g_main_context_get_thread_default ();
  g_autoptr(GSource) timer = g_timeout_source_new (WAIT_TIMEOUT_MS);
  gboolean expired = FALSE;

  g_source_set_callback (timer, set_flag, &expired, NULL);
  g_source_attach (timer, context);
  while (!done (data) && !expired)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timer);

  return done (data);
}

/**
 * cachet_test_result_cb:
 * @user_data: a `GAsyncResult **`, which must hold %NULL
 *
 * A #GAsyncReadyCallback that keeps the result for cachet_test_wait_result().
 */
void
cachet_test_result_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/**
 * cachet_test_wait_result:
 * @result: where cachet_test_result_cb() stores the result
 *
 * Runs the main context until the operation completes; fails the test if it
 * does not within 20 seconds.
 *
 * Returns: (transfer none): *@result
 */
GAsyncResult *
cachet_test_wait_result (GAsyncResult **result)
{
  if (!run_until (has_result, result))
    g_error ("An asynchronous operation did not complete within %u ms", WAIT_TIMEOUT_MS);

  return *result;
}

static void openssl (const char *dir,
                     const char *first_arg,
                     ...) G_GNUC_NULL_TERMINATED;

static void
openssl (const char *dir,
         const char *first_arg,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("openssl %s failed:\n%s", first_arg, output);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
make_ca (const char *dir,
         const char *name,
         const char *subject)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);

  openssl (dir, "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", key, "-out", cert, "-days", "30", "-subj", subject,
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
}

/* A key and a certificate NAME.key and NAME.pem issued by the CA "ca" of
 * @dir; @start and @end are OpenSSL dates, or NULL for 30 days from now. */
static void
issue (const char *dir,
       const char *name,
       const char *subject,
       const char *extensions,
       const char *start,
       const char *end)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);

  write_file (dir, ext, extensions);
  openssl (dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", key, "-out", csr, "-subj", subject, NULL);
  /* `openssl ca` rather than `x509 -req`: only it sets arbitrary validity
   * dates, which the expired and not-yet-valid certificates need. */
  if (start != NULL)
    openssl (dir, "ca", "-batch", "-config", "ca.cnf", "-in", csr, "-out", cert, "-notext",
             "-extfile", ext, "-startdate", start, "-enddate", end, NULL);
  else
    openssl (dir, "ca", "-batch", "-config", "ca.cnf", "-in", csr, "-out", cert, "-notext",
             "-extfile", ext, "-days", "30", NULL);
}

static CachetTestPki *
make_pki (void)
{
  static const char server_ext[] = "basicConstraints=critical,CA:FALSE\n"
                                   "keyUsage=critical,digitalSignature\n"
                                   "extendedKeyUsage=serverAuth\n"
                                   "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
  g_autofree char *dir = g_build_filename (g_getenv ("HOME"), "pki", NULL);
  CachetTestPki *pki = g_new0 (CachetTestPki, 1);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_file (dir, "ca.cnf",
              "[ca]\n"
              "default_ca = test_ca\n"
              "[test_ca]\n"
              "certificate = ca.pem\n"
              "private_key = ca.key\n"
              "database = index.txt\n"
              "new_certs_dir = .\n"
              "serial = serial\n"
              "default_md = sha256\n"
              "policy = any\n"
              "unique_subject = no\n"
              "[any]\n"
              "commonName = supplied\n");
  write_file (dir, "index.txt", "");
  write_file (dir, "serial", "1000\n");

  make_ca (dir, "ca", "/CN=Cachet Test CA");
  make_ca (dir, "other-ca", "/CN=Cachet Other Test CA");
  issue (dir, "server", "/CN=localhost", server_ext, NULL, NULL);
  issue (dir, "expired", "/CN=localhost", server_ext, "20200101000000Z", "20200201000000Z");
  issue (dir, "not-yet-valid", "/CN=localhost", server_ext, "20900101000000Z", "20910101000000Z");
  issue (dir, "wrong-host", "/CN=other.example.org",
         "basicConstraints=critical,CA:FALSE\n"
         "keyUsage=critical,digitalSignature\n"
         "extendedKeyUsage=serverAuth\n"
         "subjectAltName=DNS:other.example.org\n", NULL, NULL);
  issue (dir, "client", "/CN=alice@example.org",
         "basicConstraints=critical,CA:FALSE\n"
         "keyUsage=critical,digitalSignature\n"
         "extendedKeyUsage=clientAuth\n"
         "subjectAltName=email:alice@example.org\n", NULL, NULL);

  pki->client_p12_passphrase = "test passphrase";
  openssl (dir, "pkcs12", "-export", "-inkey", "client.key", "-in", "client.pem",
           "-certfile", "ca.pem", "-passout", "pass:test passphrase", "-out", "client.p12", NULL);
  openssl (dir, "pkcs12", "-export", "-nokeys", "-in", "client.pem",
           "-passout", "pass:test passphrase", "-out", "client-without-key.p12", NULL);

  pki->ca_file = g_build_filename (dir, "ca.pem", NULL);
  pki->other_ca_file = g_build_filename (dir, "other-ca.pem", NULL);
  pki->server_cert = g_build_filename (dir, "server.pem", NULL);
  pki->server_key = g_build_filename (dir, "server.key", NULL);
  pki->expired_cert = g_build_filename (dir, "expired.pem", NULL);
  pki->expired_key = g_build_filename (dir, "expired.key", NULL);
  pki->not_yet_valid_cert = g_build_filename (dir, "not-yet-valid.pem", NULL);
  pki->not_yet_valid_key = g_build_filename (dir, "not-yet-valid.key", NULL);
  pki->wrong_host_cert = g_build_filename (dir, "wrong-host.pem", NULL);
  pki->wrong_host_key = g_build_filename (dir, "wrong-host.key", NULL);
  pki->client_cert = g_build_filename (dir, "client.pem", NULL);
  pki->client_key = g_build_filename (dir, "client.key", NULL);
  pki->client_p12 = g_build_filename (dir, "client.p12", NULL);
  pki->client_p12_without_key = g_build_filename (dir, "client-without-key.p12", NULL);

  return pki;
}

/**
 * cachet_test_pki_get:
 *
 * Makes the test certificates on first use, in the test program's isolated
 * home (see cachet_test_init()), which is removed at exit.
 *
 * Returns: (transfer none) (nullable): the certificates, or %NULL if OpenSSL
 *   is missing, in which case the test was skipped or failed and must return
 */
const CachetTestPki *
cachet_test_pki_get (void)
{
  static CachetTestPki *pki;

  if (pki == NULL && cachet_test_require_program ("openssl"))
    pki = make_pki ();

  return pki;
}

/* Cachet's IMAP tags start with random letters (security.md S5), while
 * scripts are written with "A0001", "A0002"…: the letters are learnt from
 * each tagged line of the client and stand for the script's "A" in what the
 * server sends. */
#define CLIENT_TAG_LETTERS 6

typedef enum
{
  STEP_SEND,
  STEP_EXPECT,
  STEP_EXPECT_GLOB,
  STEP_START_TLS,
  STEP_EXPECT_TLS_FAILURE,
  STEP_DELAY,
  STEP_STALL,
  STEP_EXPECT_DISCONNECT,
  STEP_CLOSE,
} StepKind;

typedef struct
{
  StepKind kind;
  GBytes *data;     /* send */
  char *text;       /* expect, expect_glob */
  guint delay_ms;   /* delay */
} Step;

/**
 * CachetTestServer:
 *
 * A scripted server on 127.0.0.1 for protocol tests. The test declares the
 * conversation step by step (send a line, expect a line, start TLS, expect
 * the client to disconnect…), runs the client under test against
 * cachet_test_server_get_uri(), then checks with
 * cachet_test_server_assert_done() that every step happened, in order.
 *
 * It runs on the thread-default main context of the test, never in a thread
 * of its own, so that client and server interleave deterministically; every
 * wait is bounded. It serves one connection. What each side says is logged
 * with g_test_message() ("S:" and "C:" lines), so a failing test shows the
 * conversation.
 */
struct _CachetTestServer
{
  GObject parent_instance;

  GSocketListener *listener;
  guint16 port;
  GTlsCertificate *certificate;
  GTlsDatabase *client_ca;
  GPtrArray *steps;
  guint current;
  gboolean finished;
  char *failure;
  GCancellable *cancellable;
  GIOStream *base;
  GIOStream *stream;      /* base, or TLS over it */
  GByteArray *input;
  GSource *delay;
  guint8 chunk[4096];
  GBytes *sending;
  char client_tag_letters[CLIENT_TAG_LETTERS + 1];
  GPtrArray *tag_letters_seen;
};

G_DEFINE_FINAL_TYPE (CachetTestServer, cachet_test_server, G_TYPE_OBJECT)

static void run_step (CachetTestServer *self);
static void process_input (CachetTestServer *self);

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->data, g_bytes_unref);
  g_free (step->text);
  g_free (step);
}

/* For messages: printable, and short enough for a log even when a test
 * floods the client. */
static char *
escape (const void *data,
        gsize       length)
{
  const gsize shown = 200;
  g_autofree char *text = length > 0 ? g_strndup (data, MIN (length, shown)) : g_strdup ("");
  g_autofree char *escaped = g_strescape (text, NULL);

  if (length <= shown)
    return g_steal_pointer (&escaped);
  return g_strdup_printf ("%s… (%" G_GSIZE_FORMAT " bytes)", escaped, length);
}

static char *
step_describe (Step *step)
{
  switch (step->kind)
    {
    case STEP_SEND:
      {
        gsize length;
        const char *data = g_bytes_get_data (step->data, &length);
        g_autofree char *text = escape (data, length);

        return g_strdup_printf ("send “%s”", text);
      }
    case STEP_EXPECT:
      return g_strdup_printf ("expect “%s”", step->text);
    case STEP_EXPECT_GLOB:
      return g_strdup_printf ("expect a line matching “%s”", step->text);
    case STEP_START_TLS:
      return g_strdup ("start TLS");
    case STEP_EXPECT_TLS_FAILURE:
      return g_strdup ("expect the TLS handshake to fail");
    case STEP_DELAY:
      return g_strdup_printf ("wait %u ms", step->delay_ms);
    case STEP_STALL:
      return g_strdup ("answer nothing until the client disconnects");
    case STEP_EXPECT_DISCONNECT:
      return g_strdup ("expect the client to disconnect");
    case STEP_CLOSE:
      return g_strdup ("close the connection");
    default:
      g_assert_not_reached ();
    }
}

static Step *
current_step (CachetTestServer *self)
{
  return self->current < self->steps->len ? g_ptr_array_index (self->steps, self->current) : NULL;
}

/* The step that I/O in flight belongs to: there is one as long as I/O is. */
static Step *
running_step (CachetTestServer *self)
{
  Step *step = current_step (self);

  if (step == NULL)
    g_error ("The test server has I/O in flight after its last step");
  return step;
}

static void fail (CachetTestServer *self,
                  const char       *format,
                  ...) G_GNUC_PRINTF (2, 3);

static void
fail (CachetTestServer *self,
      const char       *format,
      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *description = NULL;
  Step *step = current_step (self);
  va_list args;

  if (self->finished)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  description = step != NULL ? step_describe (step) : g_strdup ("end of script");
  self->failure = g_strdup_printf ("script step %u (%s) failed: %s",
                                   self->current + 1, description, message);
  self->finished = TRUE;
  g_test_message ("%s", self->failure);

  /* Pending I/O completes as cancelled, dropping its references to the
   * streams: the client then sees the connection close. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->stream);
  g_clear_object (&self->base);
}

static void
next_step (CachetTestServer *self)
{
  self->current++;
  run_step (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  CachetTestServer *self;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  /* Only dispose and fail() cancel: the server may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (n > 0)
    {
      g_byte_array_append (self->input, self->chunk, (guint) n);
      process_input (self);
      return;
    }

  switch (running_step (self)->kind)
    {
    case STEP_STALL:
    case STEP_EXPECT_DISCONNECT:
      g_test_message ("C: (disconnected%s%s)", error != NULL ? ": " : "",
                      error != NULL ? error->message : "");
      next_step (self);
      break;

    case STEP_SEND:
    case STEP_EXPECT:
    case STEP_EXPECT_GLOB:
    case STEP_START_TLS:
    case STEP_EXPECT_TLS_FAILURE:
    case STEP_DELAY:
    case STEP_CLOSE:
    default:
      {
        g_autofree char *pending = escape (self->input->data, self->input->len);

        fail (self, "the client disconnected (%s); unprocessed input: “%s”",
              error != NULL ? error->message : "end of stream", pending);
      }
      break;
    }
}

static void
read_more (CachetTestServer *self)
{
  if (self->input->len > MAX_CLIENT_INPUT)
    {
      fail (self, "the client sent more than %d bytes without a line break", MAX_CLIENT_INPUT);
      return;
    }

  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream), self->chunk,
                             sizeof self->chunk, G_PRIORITY_DEFAULT, self->cancellable,
                             on_read, self);
}

/* The number of digits at @text, if @after follows them. */
static gsize
tag_digits (const char *text,
            gsize       length,
            char        after)
{
  gsize digits = 0;

  while (digits < length && g_ascii_isdigit (text[digits]))
    digits++;
  return digits >= 4 && digits < length && text[digits] == after ? digits : 0;
}

/* A line of the client as the script spells it. */
static char *
line_with_script_tag (CachetTestServer *self,
                      const char       *line)
{
  gsize length = strlen (line);

  if (length <= CLIENT_TAG_LETTERS)
    return g_strdup (line);
  for (gsize i = 0; i < CLIENT_TAG_LETTERS; i++)
    if (!g_ascii_isupper (line[i]))
      return g_strdup (line);
  if (tag_digits (line + CLIENT_TAG_LETTERS, length - CLIENT_TAG_LETTERS, ' ') == 0)
    return g_strdup (line);

  if (memcmp (self->client_tag_letters, line, CLIENT_TAG_LETTERS) != 0)
    {
      memcpy (self->client_tag_letters, line, CLIENT_TAG_LETTERS);
      g_ptr_array_add (self->tag_letters_seen, g_strdup (self->client_tag_letters));
    }
  return g_strconcat ("A", line + CLIENT_TAG_LETTERS, NULL);
}

/* What a send step puts on the wire: the script's tags with the client's
 * letters, once they are known. */
static GBytes *
bytes_with_client_tags (CachetTestServer *self,
                        GBytes           *script)
{
  gsize length;
  const char *data = g_bytes_get_data (script, &length);
  g_autoptr(GString) wire = NULL;

  if (self->client_tag_letters[0] == '\0')
    return g_bytes_ref (script);

  wire = g_string_sized_new (length + 16);
  for (gsize start = 0; start < length;)
    {
      const char *newline = memchr (data + start, '\n', length - start);
      gsize end = newline != NULL ? (gsize) (newline - data) + 1 : length;

      /* A tag starts a line, or is quoted after TAG in an ESEARCH answer. */
      for (gsize at = start; at < end; at++)
        {
          gboolean quoted = at - start >= 5 && memcmp (data + at - 5, "TAG \"", 5) == 0;

          if (data[at] == 'A' && (at == start || quoted) &&
              tag_digits (data + at + 1, end - at - 1, quoted ? '"' : ' ') > 0)
            g_string_append (wire, self->client_tag_letters);
          else
            g_string_append_c (wire, data[at]);
        }
      start = end;
    }
  return g_string_free_to_bytes (g_steal_pointer (&wire));
}

static void
process_input (CachetTestServer *self)
{
  Step *step = running_step (self);
  const guint8 *newline;
  g_autofree char *wire_line = NULL;
  g_autofree char *line = NULL;
  g_autofree char *escaped = NULL;
  gsize end;
  gboolean matched;

  switch (step->kind)
    {
    case STEP_STALL:
      g_byte_array_set_size (self->input, 0);
      read_more (self);
      return;

    case STEP_EXPECT_DISCONNECT:
      if (self->input->len > 0)
        {
          escaped = escape (self->input->data, self->input->len);
          fail (self, "the client sent “%s”", escaped);
          return;
        }
      read_more (self);
      return;

    case STEP_EXPECT:
    case STEP_EXPECT_GLOB:
      break;

    case STEP_SEND:
    case STEP_START_TLS:
    case STEP_EXPECT_TLS_FAILURE:
    case STEP_DELAY:
    case STEP_CLOSE:
    default:
      g_assert_not_reached ();
    }

  newline = self->input->len > 0 ? memchr (self->input->data, '\n', self->input->len) : NULL;
  if (newline == NULL)
    {
      read_more (self);
      return;
    }

  end = (gsize) (newline - self->input->data);
  wire_line = g_strndup ((const char *) self->input->data,
                         end > 0 && self->input->data[end - 1] == '\r' ? end - 1 : end);
  g_byte_array_remove_range (self->input, 0, (guint) end + 1);
  escaped = escape (wire_line, strlen (wire_line));
  line = line_with_script_tag (self, wire_line);
  g_test_message ("C: %s", escaped);

  if (step->kind == STEP_EXPECT)
    matched = strcmp (line, step->text) == 0;
  else
    matched = g_pattern_match_simple (step->text, line);

  if (matched)
    next_step (self);
  else
    fail (self, "the client sent “%s”", escaped);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (user_data, "%s", error->message);
      return;
    }

  next_step (user_data);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  CachetTestServer *self;
  gboolean success;

  success = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (running_step (self)->kind == STEP_EXPECT_TLS_FAILURE)
    {
      if (success)
        {
          fail (self, "the client completed the handshake");
          return;
        }
      g_test_message ("S: (TLS handshake failed as expected: %s)", error->message);
      next_step (self);
      return;
    }

  if (!success)
    {
      fail (self, "%s", error->message);
      return;
    }

  g_test_message ("S: (TLS established)");
  g_set_object (&self->stream, G_IO_STREAM (source));
  next_step (self);
}

/* glib-networking asks a server about every client certificate, verified
 * or not: accept exactly those that verify against the client CA. */
static gboolean
on_client_certificate (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);

  if (errors != G_TLS_CERTIFICATE_NO_FLAGS)
    g_test_message ("S: (refusing the client certificate %s: flags 0x%x)", subject, errors);
  return errors == G_TLS_CERTIFICATE_NO_FLAGS;
}

static void
start_tls (CachetTestServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = NULL;

  if (self->certificate == NULL)
    {
      fail (self, "no certificate: call cachet_test_server_set_certificate() first");
      return;
    }
  /* The client may only start TLS after reading our go-ahead: anything
   * already here was sent in plaintext after it. */
  if (self->input->len > 0)
    {
      g_autofree char *escaped = escape (self->input->data, self->input->len);

      fail (self, "the client sent “%s” before the handshake", escaped);
      return;
    }

  tls = g_tls_server_connection_new (self->base, self->certificate, &error);
  if (tls == NULL)
    {
      fail (self, "%s", error->message);
      return;
    }
  if (self->client_ca != NULL)
    {
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->client_ca);
      g_object_set (tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
      g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_client_certificate), NULL);
    }

  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    self->cancellable, on_handshake, self);
}

static gboolean
on_delay_done (gpointer user_data)
{
  CachetTestServer *self = user_data;

  g_clear_pointer (&self->delay, g_source_unref);
  next_step (self);

  return G_SOURCE_REMOVE;
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A client that already left makes close fail; the step still happened. */
  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  next_step (user_data);
}

static void
run_step (CachetTestServer *self)
{
  Step *step = current_step (self);

  if (self->finished)
    return;

  if (step == NULL)
    {
      /* Script complete: the client sees the connection end here. */
      self->finished = TRUE;
      g_clear_object (&self->stream);
      g_clear_object (&self->base);
      return;
    }

  switch (step->kind)
    {
    case STEP_SEND:
      {
        gsize length;
        const char *data;
        g_autofree char *escaped = NULL;

        g_clear_pointer (&self->sending, g_bytes_unref);
        self->sending = bytes_with_client_tags (self, step->data);
        data = g_bytes_get_data (self->sending, &length);
        escaped = escape (data, length);
        g_test_message ("S: %s", escaped);
        g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                         data, length, G_PRIORITY_DEFAULT, self->cancellable,
                                         on_sent, self);
      }
      break;

    case STEP_EXPECT:
    case STEP_EXPECT_GLOB:
    case STEP_STALL:
    case STEP_EXPECT_DISCONNECT:
      process_input (self);
      break;

    case STEP_START_TLS:
    case STEP_EXPECT_TLS_FAILURE:
      start_tls (self);
      break;

    case STEP_DELAY:
      self->delay = g_timeout_source_new (step->delay_ms);
      g_source_set_callback (self->delay, on_delay_done, self, NULL);
      g_source_attach (self->delay, g_main_context_get_thread_default ());
      break;

    case STEP_CLOSE:
      g_test_message ("S: (close)");
      g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, self->cancellable,
                               on_closed, self);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_accepted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  CachetTestServer *self;
  GSocketConnection *connection;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (connection == NULL)
    {
      fail (self, "%s", error->message);
      return;
    }

  /* One connection per script: a second one is refused. */
  g_socket_listener_close (self->listener);
  self->base = G_IO_STREAM (connection);
  self->stream = g_object_ref (self->base);
  g_test_message ("S: (accepted a connection)");
  run_step (self);
}

static void
cachet_test_server_dispose (GObject *object)
{
  CachetTestServer *self = CACHET_TEST_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->delay != NULL)
    g_source_destroy (self->delay);
  g_clear_pointer (&self->delay, g_source_unref);
  g_clear_object (&self->stream);
  g_clear_object (&self->base);
  if (self->listener != NULL)
    g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);

  G_OBJECT_CLASS (cachet_test_server_parent_class)->dispose (object);
}

static void
cachet_test_server_finalize (GObject *object)
{
  CachetTestServer *self = CACHET_TEST_SERVER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->certificate);
  g_clear_object (&self->client_ca);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->input, g_byte_array_unref);
  g_clear_pointer (&self->sending, g_bytes_unref);
  g_clear_pointer (&self->tag_letters_seen, g_ptr_array_unref);
  g_free (self->failure);

  G_OBJECT_CLASS (cachet_test_server_parent_class)->finalize (object);
}

static void
cachet_test_server_class_init (CachetTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_test_server_dispose;
  object_class->finalize = cachet_test_server_finalize;
}

static void
cachet_test_server_init (CachetTestServer *self)
{
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->input = g_byte_array_new ();
  self->cancellable = g_cancellable_new ();
  self->tag_letters_seen = g_ptr_array_new_null_terminated (2, g_free, TRUE);
}

/**
 * cachet_test_server_get_client_tag_letters:
 *
 * Returns: (transfer none): the letters the client's tags started with, in
 *   order, each time they changed
 */
const char * const *
cachet_test_server_get_client_tag_letters (CachetTestServer *self)
{
  g_return_val_if_fail (CACHET_IS_TEST_SERVER (self), NULL);

  return (const char * const *) self->tag_letters_seen->pdata;
}

/**
 * cachet_test_server_new:
 *
 * Listens on an ephemeral port of 127.0.0.1 and accepts one connection as
 * soon as the main context runs.
 *
 * Returns: (transfer full): a server with an empty script
 */
CachetTestServer *
cachet_test_server_new (void)
{
  CachetTestServer *self = g_object_new (CACHET_TYPE_TEST_SERVER, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->listener = g_socket_listener_new ();
  g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  g_socket_listener_accept_async (self->listener, self->cancellable, on_accepted, self);

  return self;
}

guint16
cachet_test_server_get_port (CachetTestServer *self)
{
  g_return_val_if_fail (CACHET_IS_TEST_SERVER (self), 0);

  return self->port;
}

/**
 * cachet_test_server_get_uri:
 * @scheme: "imaps", "imap", "smtps" or "smtp"
 *
 * Returns: (transfer full): the server's address as an account holds it
 */
char *
cachet_test_server_get_uri (CachetTestServer *self,
                            const char       *scheme)
{
  g_return_val_if_fail (CACHET_IS_TEST_SERVER (self), NULL);

  return g_strdup_printf ("%s://127.0.0.1:%u", scheme, self->port);
}

/**
 * cachet_test_server_set_certificate:
 * @cert_file: the server's certificate (PEM), such as #CachetTestPki's
 * @key_file: its private key (PEM)
 *
 * What the server presents in cachet_test_server_start_tls().
 */
void
cachet_test_server_set_certificate (CachetTestServer *self,
                                    const char       *cert_file,
                                    const char       *key_file)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  g_clear_object (&self->certificate);
  self->certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);
}

/**
 * cachet_test_server_require_client_certificate:
 * @ca_file: the CA (PEM) that must have issued the client's certificate
 *
 * Makes the TLS handshake fail unless the client presents a certificate
 * issued by @ca_file.
 */
void
cachet_test_server_require_client_certificate (CachetTestServer *self,
                                               const char       *ca_file)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  g_clear_object (&self->client_ca);
  self->client_ca = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);
}

static Step *
add_step (CachetTestServer *self,
          StepKind          kind)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  g_ptr_array_add (self->steps, step);

  return step;
}

/**
 * cachet_test_server_send:
 * @line: a line, sent with CRLF appended
 */
void
cachet_test_server_send (CachetTestServer *self,
                         const char       *line)
{
  g_autofree char *data = NULL;

  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  data = g_strconcat (line, "\r\n", NULL);
  cachet_test_server_send_raw (self, data, -1);
}

/**
 * cachet_test_server_send_raw:
 * @data: bytes to send in one write, as they are
 * @length: the length of @data, or -1 if it is NUL-terminated
 *
 * One write reaches the client as one segment on loopback: use it to send a
 * response together with what follows it.
 */
void
cachet_test_server_send_raw (CachetTestServer *self,
                             const char       *data,
                             gssize            length)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_SEND)->data = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
}

/**
 * cachet_test_server_expect:
 * @line: the exact line the client must send next, without its line break
 */
void
cachet_test_server_expect (CachetTestServer *self,
                           const char       *line)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_EXPECT)->text = g_strdup (line);
}

/**
 * cachet_test_server_expect_glob:
 * @pattern: a g_pattern_match_simple() pattern (`*` and `?`) the next line
 *   must match, for lines with unpredictable parts such as random tags
 */
void
cachet_test_server_expect_glob (CachetTestServer *self,
                                const char       *pattern)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_EXPECT_GLOB)->text = g_strdup (pattern);
}

/**
 * cachet_test_server_start_tls:
 *
 * Performs the server side of a TLS handshake, which must succeed; later
 * steps run over TLS. Fails if the client sent anything before it.
 */
void
cachet_test_server_start_tls (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_START_TLS);
}

/**
 * cachet_test_server_expect_tls_failure:
 *
 * Like cachet_test_server_start_tls(), but the handshake must fail, as when
 * the client rejects the server's certificate or has none to present.
 */
void
cachet_test_server_expect_tls_failure (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_EXPECT_TLS_FAILURE);
}

/**
 * cachet_test_server_delay:
 * @delay_ms: how long to pause before the next step
 */
void
cachet_test_server_delay (CachetTestServer *self,
                          guint             delay_ms)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_DELAY)->delay_ms = delay_ms;
}

/**
 * cachet_test_server_stall:
 *
 * Reads and ignores whatever the client sends, answering nothing, until it
 * disconnects: for timeout and cancellation tests.
 */
void
cachet_test_server_stall (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_STALL);
}

/**
 * cachet_test_server_expect_disconnect:
 *
 * The client must close the connection without sending anything more.
 */
void
cachet_test_server_expect_disconnect (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_EXPECT_DISCONNECT);
}

/**
 * cachet_test_server_close:
 *
 * Closes the connection (with a TLS close_notify once TLS is up).
 */
void
cachet_test_server_close (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  add_step (self, STEP_CLOSE);
}

static gboolean
is_waiting (gpointer data)
{
  CachetTestServer *self = data;
  Step *step = current_step (self);

  if (self->finished || self->base == NULL || step == NULL)
    return TRUE;

  switch (step->kind)
    {
    case STEP_EXPECT:
    case STEP_EXPECT_GLOB:
    case STEP_START_TLS:
    case STEP_EXPECT_TLS_FAILURE:
    case STEP_STALL:
    case STEP_EXPECT_DISCONNECT:
      return TRUE;

    case STEP_SEND:
    case STEP_DELAY:
    case STEP_CLOSE:
    default:
      return FALSE;
    }
}

/**
 * cachet_test_server_run_until_waiting:
 *
 * Runs the main context until the server waits for the client (to connect,
 * or in a step that reads), so that everything it had to send before is sent.
 */
void
cachet_test_server_run_until_waiting (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  if (!run_until (is_waiting, self))
    g_error ("The test server did not come to wait for the client within %u ms",
             WAIT_TIMEOUT_MS);
}

static gboolean
is_finished (gpointer data)
{
  return CACHET_TEST_SERVER (data)->finished;
}

/**
 * cachet_test_server_assert_done:
 *
 * Runs the main context until the script ends, then fails the test, naming
 * the step and what the client sent, unless every step passed.
 */
void
cachet_test_server_assert_done (CachetTestServer *self)
{
  g_return_if_fail (CACHET_IS_TEST_SERVER (self));

  if (!run_until (is_finished, self))
    {
      g_autofree char *pending = escape (self->input->data, self->input->len);

      fail (self, "not finished after %u ms; unprocessed input: “%s”", WAIT_TIMEOUT_MS, pending);
    }
  if (self->failure != NULL)
    g_error ("%s", self->failure);
}
