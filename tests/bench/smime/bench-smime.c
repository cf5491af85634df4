/* bench-smime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Times S/MIME per message, three ways in the same run, message after
 * message so that a drifting machine drifts for all three alike:
 *
 * - Cachet, through the entry points the application calls:
 *   cachet_smime_protect_message(), which the composer calls at Send, to
 *   sign (detached) or to encrypt (AES-256-CBC, to the recipient and the
 *   sender) a message, bytes in and bytes out; cachet_smime_verify_async()
 *   and cachet_smime_decrypt_async(), which the window calls on a stored
 *   message. Each verification must find a valid signature and each
 *   decryption must succeed, or the run stops.
 * - the floors, called directly in GnuTLS on the bytes of the message
 *   file: the target floor of issue 4, the same for every operation (one
 *   RSA-2048 private-key operation, SHA-256 and AES-256-CBC over the bytes;
 *   floor_target()), and a stricter floor per operation, only the
 *   cryptography that operation cannot do without (floor_*()).
 * - `openssl cms`, one process per message as a script would run it, on
 *   files in WORK_DIR.
 *
 *   bench-smime PKI_DIR MESSAGE_DIR WORK_DIR
 *
 * PKI_DIR holds what tests/bench/smime/run makes: ca.pem, and for the
 * sender alice and the recipient bob NAME.pem, NAME.key and NAME.p12 (with
 * the passphrase below). The certificate store is the default one, in the
 * XDG data directory the caller chose, with ca.pem trusted and bob.pem
 * kept. Prints one JSON object: for each operation and each of the three,
 * the time of every message in microseconds; the target floor of every
 * message; and the start of an `openssl` process that does nothing, for
 * reference. */

#include "config.h"

#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cachet-mime.h"
#include "cachet-smime.h"

#define P12_PASSPHRASE "cachet-bench"
#define RECIPIENT_ADDRESS "bernard.dubois@ch-rouen.mssante.fr"
#define OPENSSL_START_RUNS 20
#define AES_BLOCK 16

typedef enum
{
  OP_SIGN,
  OP_VERIFY,
  OP_ENCRYPT,
  OP_DECRYPT,
  N_OPS
} Operation;

typedef enum
{
  WAY_CACHET,
  WAY_FLOOR,
  WAY_OPENSSL,
  N_WAYS
} Way;

static const char * const operation_names[N_OPS] = { "sign", "verify", "encrypt", "decrypt" };
static const char * const way_names[N_WAYS] = { "cachet", "floor", "openssl" };

typedef struct
{
  const char *pki_dir;
  const char *work_dir;
  CachetCertificateStore *store;
  CachetSmimeIdentity *sender;
  CachetSmimeIdentity *recipient;
  gnutls_privkey_t sender_key;
  gnutls_privkey_t recipient_key;
  gnutls_pubkey_t sender_public;
  gnutls_pubkey_t recipient_public;
  GArray *times[N_OPS][N_WAYS];
  GArray *target_floor;
  /* What the floor's encryption of the current message made, for the
   * floor's decryption. */
  guint8 *ciphertext;
  gsize ciphertext_size;
  gnutls_datum_t wrapped_key;
  guint8 iv[AES_BLOCK];
  guint8 *scratch;
  gsize scratch_size;
} Bench;

G_NORETURN static void G_GNUC_PRINTF (1, 2)
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  g_printerr ("bench-smime: ");
  g_vfprintf (stderr, format, args);
  g_printerr ("\n");
  va_end (args);
  exit (EXIT_FAILURE);
}

static double
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
record (Bench     *bench,
        Operation  operation,
        Way        way,
        double     start)
{
  double elapsed = now_us () - start;

  g_array_append_val (bench->times[operation][way], elapsed);
}

static char *
pki_path (Bench      *bench,
          const char *name)
{
  return g_build_filename (bench->pki_dir, name, NULL);
}

static gnutls_datum_t
read_datum (const char *path)
{
  gnutls_datum_t datum = { NULL, 0 };

  if (gnutls_load_file (path, &datum) < 0)
    die ("cannot read %s", path);
  return datum;
}

static gnutls_privkey_t
load_private_key (Bench      *bench,
                  const char *name)
{
  g_autofree char *path = pki_path (bench, name);
  gnutls_datum_t pem = read_datum (path);
  gnutls_privkey_t key = NULL;

  if (gnutls_privkey_init (&key) < 0 ||
      gnutls_privkey_import_x509_raw (key, &pem, GNUTLS_X509_FMT_PEM, NULL, 0) < 0)
    die ("cannot load the key %s", path);
  gnutls_free (pem.data);
  return key;
}

static gnutls_pubkey_t
load_public_key (Bench      *bench,
                 const char *name)
{
  g_autofree char *path = pki_path (bench, name);
  gnutls_datum_t pem = read_datum (path);
  gnutls_pubkey_t key = NULL;

  if (gnutls_pubkey_init (&key) < 0 ||
      gnutls_pubkey_import_x509_raw (key, &pem, GNUTLS_X509_FMT_PEM, 0) < 0)
    die ("cannot load the certificate %s", path);
  gnutls_free (pem.data);
  return key;
}

static CachetSmimeIdentity *
load_identity (Bench      *bench,
               const char *name)
{
  g_autofree char *path = pki_path (bench, name);
  g_autoptr(GError) error = NULL;
  CachetSmimeIdentity *identity = cachet_smime_identity_load_pkcs12 (path, P12_PASSPHRASE, &error);

  if (identity == NULL)
    die ("%s: %s", path, error->message);
  return identity;
}

/* The store as a user leaves it: the authority trusted on top of the
 * system's, the recipient's certificate kept. */
static void
prepare_store (Bench *bench)
{
  g_autofree char *ca = pki_path (bench, "ca.pem");
  g_autofree char *recipient = pki_path (bench, "bob.pem");
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;

  bench->store = cachet_certificate_store_new (NULL);
  if ((anchors = cachet_certificate_store_trust_file (bench->store, ca, &error)) == NULL ||
      (kept = cachet_certificate_store_import_file (bench->store, recipient, &error)) == NULL)
    die ("%s", error->message);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Cachet */

static GBytes *
cachet_protect (Bench    *bench,
                GBytes   *raw,
                gboolean  encrypt)
{
  const char * const recipients[] = { RECIPIENT_ADDRESS, NULL };
  g_autoptr(GError) error = NULL;
  GBytes *protected;

  protected = cachet_smime_protect_message (raw, bench->sender, bench->store, recipients,
                                            !encrypt, encrypt, &error);
  if (protected == NULL)
    die ("Cachet cannot %s: %s", encrypt ? "encrypt" : "sign", error->message);
  return protected;
}

static void
cachet_verify (Bench  *bench,
               GBytes *signed_message)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;

  cachet_smime_verify_async (bench->store, signed_message, NULL, result_cb, &result);
  report = cachet_smime_verify_finish (bench->store, wait_for (&result), &error);
  if (report == NULL)
    die ("Cachet cannot verify: %s", error->message);
  if (cachet_security_report_get_verdict (report) != CACHET_SECURITY_VERDICT_VALID)
    die ("Cachet finds the signature %s: %s",
         cachet_security_verdict_to_string (cachet_security_report_get_verdict (report)),
         cachet_security_report_get_n_reasons (report) > 0
           ? cachet_security_report_get_reason_text (report, 0) : "");
}

static void
cachet_decrypt (Bench  *bench,
                GBytes *encrypted_message)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;

  cachet_smime_decrypt_async (bench->store, bench->recipient, encrypted_message, NULL,
                              result_cb, &result);
  report = cachet_smime_decrypt_finish (bench->store, wait_for (&result), &error);
  if (report == NULL)
    die ("Cachet cannot decrypt: %s", error->message);
  if (!cachet_security_report_is_encrypted (report))
    die ("Cachet decrypted a message it does not report as encrypted");
}

/* The floor. Per message, over the bytes of the message file:
 * - sign: SHA-256 of the bytes, one RSA-2048 private-key signature of the
 *   digest;
 * - verify: SHA-256 of the bytes, one RSA-2048 public-key verification;
 * - encrypt: AES-256-CBC of the bytes under a fresh key and IV, and that key
 *   wrapped with RSA-2048 for each of the two recipients (the recipient and
 *   the sender, whom Cachet always adds);
 * - decrypt: one RSA-2048 private-key unwrapping of the key, AES-256-CBC
 *   decryption of the bytes.
 * No parsing, no encoding, no certificate: what any S/MIME program must
 * compute at least. CMS hashes no content to encrypt, so the floor does
 * not either. */

static void
floor_digest (GBytes *raw,
              guint8  digest[32])
{
  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                        digest) < 0)
    die ("SHA-256 failed");
}

static gnutls_datum_t
floor_sign (Bench  *bench,
            GBytes *raw)
{
  guint8 digest[32];
  gnutls_datum_t digest_datum = { digest, sizeof digest };
  gnutls_datum_t signature = { NULL, 0 };

  floor_digest (raw, digest);
  if (gnutls_privkey_sign_hash2 (bench->sender_key, GNUTLS_SIGN_RSA_SHA256, 0, &digest_datum,
                                 &signature) < 0)
    die ("the floor cannot sign");
  return signature;
}

static void
floor_verify (Bench                *bench,
              GBytes               *raw,
              const gnutls_datum_t *signature)
{
  guint8 digest[32];
  gnutls_datum_t digest_datum = { digest, sizeof digest };

  floor_digest (raw, digest);
  if (gnutls_pubkey_verify_hash2 (bench->sender_public, GNUTLS_SIGN_RSA_SHA256, 0, &digest_datum,
                                  signature) < 0)
    die ("the floor cannot verify its own signature");
}

/* AES-256-CBC of @raw, padded as CMS pads, under a fresh @key and IV, into
 * the buffer bench_message() sized: allocating is not cryptography. */
static void
floor_aes (Bench   *bench,
           GBytes  *raw,
           guint8   key[32])
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (raw, &size);
  gsize whole = size - size % AES_BLOCK;
  guint8 pad = (guint8) (AES_BLOCK - size % AES_BLOCK);
  guint8 last[AES_BLOCK];
  gnutls_datum_t key_datum = { key, 32 };
  gnutls_datum_t iv_datum = { bench->iv, AES_BLOCK };
  gnutls_cipher_hd_t cipher = NULL;

  bench->ciphertext = bench->scratch;
  bench->ciphertext_size = whole + AES_BLOCK;

  memcpy (last, data + whole, size - whole);
  memset (last + size - whole, pad, pad);
  if (gnutls_rnd (GNUTLS_RND_KEY, key, 32) < 0 ||
      gnutls_rnd (GNUTLS_RND_NONCE, bench->iv, AES_BLOCK) < 0 ||
      gnutls_cipher_init (&cipher, GNUTLS_CIPHER_AES_256_CBC, &key_datum, &iv_datum) < 0 ||
      (whole > 0 && gnutls_cipher_encrypt2 (cipher, data, whole, bench->ciphertext, whole) < 0) ||
      gnutls_cipher_encrypt2 (cipher, last, AES_BLOCK, bench->ciphertext + whole, AES_BLOCK) < 0)
    die ("the floor cannot encrypt");
  gnutls_cipher_deinit (cipher);
}

static void
floor_encrypt (Bench  *bench,
               GBytes *raw)
{
  guint8 key[32];
  gnutls_datum_t key_datum = { key, sizeof key };
  gnutls_datum_t sender_wrapped = { NULL, 0 };

  gnutls_free (bench->wrapped_key.data);
  bench->wrapped_key.data = NULL;
  floor_aes (bench, raw, key);
  if (gnutls_pubkey_encrypt_data (bench->recipient_public, 0, &key_datum,
                                  &bench->wrapped_key) < 0 ||
      gnutls_pubkey_encrypt_data (bench->sender_public, 0, &key_datum, &sender_wrapped) < 0)
    die ("the floor cannot encrypt");
  gnutls_free (sender_wrapped.data);
}

static void
floor_decrypt (Bench *bench,
               gsize  expected_size)
{
  gnutls_datum_t key = { NULL, 0 };
  gnutls_datum_t iv_datum = { bench->iv, AES_BLOCK };
  gnutls_cipher_hd_t cipher = NULL;
  guint8 *plaintext = bench->scratch + bench->ciphertext_size;
  guint8 pad;

  if (gnutls_privkey_decrypt_data (bench->recipient_key, 0, &bench->wrapped_key, &key) < 0 ||
      key.size != 32 ||
      gnutls_cipher_init (&cipher, GNUTLS_CIPHER_AES_256_CBC, &key, &iv_datum) < 0 ||
      gnutls_cipher_decrypt2 (cipher, bench->ciphertext, bench->ciphertext_size, plaintext,
                              bench->ciphertext_size) < 0)
    die ("the floor cannot decrypt");
  gnutls_cipher_deinit (cipher);
  gnutls_memset (key.data, 0, key.size);
  gnutls_free (key.data);
  pad = plaintext[bench->ciphertext_size - 1];
  if (pad == 0 || pad > AES_BLOCK || bench->ciphertext_size - pad != expected_size)
    die ("the floor decrypted something else");
}

/* The target floor of issue 4, the same for the four operations: "one
 * RSA-2048 private operation plus hashing and AES over the bytes", here a
 * signature of the SHA-256 digest and AES-256-CBC encryption. */
static void
floor_target (Bench  *bench,
              GBytes *raw)
{
  gnutls_datum_t signature = floor_sign (bench, raw);
  guint8 key[32];

  floor_aes (bench, raw, key);
  gnutls_free (signature.data);
}

/* openssl cms */

static void
run_openssl (Bench              *bench,
             const char * const *args)
{
  g_autofree char *errors = g_build_filename (bench->work_dir, "openssl.err", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  posix_spawn_file_actions_t actions;
  pid_t pid;
  int status;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* -verify reports success on the standard error: kept aside, shown only
   * when something fails. */
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (&actions, STDERR_FILENO, errors,
                                    O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (posix_spawnp (&pid, "openssl", &actions, NULL, (char **) argv->pdata, environ) != 0)
    die ("cannot start openssl");
  posix_spawn_file_actions_destroy (&actions);
  if (waitpid (pid, &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree char *text = NULL;

      g_file_get_contents (errors, &text, NULL, NULL);
      die ("openssl %s failed:\n%s", args[0], text != NULL ? text : "");
    }
}

static double
openssl_start_us (Bench *bench)
{
  const char * const args[] = { "version", NULL };
  double runs[OPENSSL_START_RUNS];

  for (guint i = 0; i < OPENSSL_START_RUNS; i++)
    {
      double start = now_us ();

      run_openssl (bench, args);
      runs[i] = now_us () - start;
    }
  for (guint i = 1; i < OPENSSL_START_RUNS; i++)
    for (guint j = i; j > 0 && runs[j - 1] > runs[j]; j--)
      {
        double swap = runs[j];

        runs[j] = runs[j - 1];
        runs[j - 1] = swap;
      }
  return runs[OPENSSL_START_RUNS / 2];
}

static void
bench_message (Bench      *bench,
               const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) signed_message = NULL;
  g_autoptr(GBytes) encrypted_message = NULL;
  g_autofree char *ossl_signed = g_build_filename (bench->work_dir, "signed.eml", NULL);
  g_autofree char *ossl_encrypted = g_build_filename (bench->work_dir, "encrypted.eml", NULL);
  g_autofree char *ossl_decrypted = g_build_filename (bench->work_dir, "decrypted.eml", NULL);
  g_autofree char *ca = pki_path (bench, "ca.pem");
  g_autofree char *alice_cert = pki_path (bench, "alice.pem");
  g_autofree char *alice_key = pki_path (bench, "alice.key");
  g_autofree char *bob_cert = pki_path (bench, "bob.pem");
  g_autofree char *bob_key = pki_path (bench, "bob.key");
  const char * const ossl_sign[] = { "cms", "-sign", "-binary", "-in", path, "-signer", alice_cert,
                                     "-inkey", alice_key, "-out", ossl_signed, NULL };
  const char * const ossl_verify[] = { "cms", "-verify", "-binary", "-in", ossl_signed,
                                       "-CAfile", ca, "-out", "/dev/null", NULL };
  const char * const ossl_encrypt[] = { "cms", "-encrypt", "-aes256", "-binary", "-in", path,
                                        "-out", ossl_encrypted, bob_cert, alice_cert, NULL };
  const char * const ossl_decrypt[] = { "cms", "-decrypt", "-in", ossl_encrypted,
                                        "-recip", bob_cert, "-inkey", bob_key,
                                        "-out", ossl_decrypted, NULL };
  gnutls_datum_t floor_signature;
  double start;
  double target_us;

  if (file == NULL)
    die ("%s", error->message);
  raw = g_mapped_file_get_bytes (file);
  if (bench->scratch_size < 2 * (g_bytes_get_size (raw) + AES_BLOCK))
    {
      bench->scratch_size = 2 * (g_bytes_get_size (raw) + AES_BLOCK);
      bench->scratch = g_realloc (bench->scratch, bench->scratch_size);
    }

  start = now_us ();
  signed_message = cachet_protect (bench, raw, FALSE);
  record (bench, OP_SIGN, WAY_CACHET, start);
  start = now_us ();
  floor_signature = floor_sign (bench, raw);
  record (bench, OP_SIGN, WAY_FLOOR, start);
  start = now_us ();
  run_openssl (bench, ossl_sign);
  record (bench, OP_SIGN, WAY_OPENSSL, start);

  start = now_us ();
  cachet_verify (bench, signed_message);
  record (bench, OP_VERIFY, WAY_CACHET, start);
  start = now_us ();
  floor_verify (bench, raw, &floor_signature);
  record (bench, OP_VERIFY, WAY_FLOOR, start);
  start = now_us ();
  run_openssl (bench, ossl_verify);
  record (bench, OP_VERIFY, WAY_OPENSSL, start);
  gnutls_free (floor_signature.data);

  start = now_us ();
  encrypted_message = cachet_protect (bench, raw, TRUE);
  record (bench, OP_ENCRYPT, WAY_CACHET, start);
  start = now_us ();
  floor_encrypt (bench, raw);
  record (bench, OP_ENCRYPT, WAY_FLOOR, start);
  start = now_us ();
  run_openssl (bench, ossl_encrypt);
  record (bench, OP_ENCRYPT, WAY_OPENSSL, start);

  start = now_us ();
  cachet_decrypt (bench, encrypted_message);
  record (bench, OP_DECRYPT, WAY_CACHET, start);
  start = now_us ();
  floor_decrypt (bench, g_bytes_get_size (raw));
  record (bench, OP_DECRYPT, WAY_FLOOR, start);
  start = now_us ();
  run_openssl (bench, ossl_decrypt);
  record (bench, OP_DECRYPT, WAY_OPENSSL, start);

  /* Last, as it reuses the buffer of the floor's encryption. */
  start = now_us ();
  floor_target (bench, raw);
  target_us = now_us () - start;
  g_array_append_val (bench->target_floor, target_us);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_messages (const char *directory)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (directory, 0, &error);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    die ("%s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (paths, g_build_filename (directory, name, NULL));
  if (paths->len == 0)
    die ("no .eml file in %s", directory);
  g_ptr_array_sort (paths, compare_strings);
  return paths;
}

static void
print_json (Bench  *bench,
            guint   n_messages,
            double  start_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_add_int_value (builder, n_messages);
  json_builder_set_member_name (builder, "openssl_start_us");
  json_builder_add_double_value (builder, start_us);
  json_builder_set_member_name (builder, "target_floor");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bench->target_floor->len; i++)
    json_builder_add_double_value (builder, g_array_index (bench->target_floor, double, i));
  json_builder_end_array (builder);
  for (guint op = 0; op < N_OPS; op++)
    {
      json_builder_set_member_name (builder, operation_names[op]);
      json_builder_begin_object (builder);
      for (guint way = 0; way < N_WAYS; way++)
        {
          GArray *times = bench->times[op][way];

          json_builder_set_member_name (builder, way_names[way]);
          json_builder_begin_array (builder);
          for (guint i = 0; i < times->len; i++)
            json_builder_add_double_value (builder, g_array_index (times, double, i));
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
main (int    argc,
      char **argv)
{
  Bench bench = { 0 };
  g_autoptr(GPtrArray) messages = NULL;
  double start_us;

  if (argc != 4)
    {
      g_printerr ("usage: bench-smime PKI_DIR MESSAGE_DIR WORK_DIR (see tests/bench/smime/run)\n");
      return EXIT_FAILURE;
    }
  bench.pki_dir = argv[1];
  bench.work_dir = argv[3];
  cachet_mime_init ();
  messages = list_messages (argv[2]);

  prepare_store (&bench);
  bench.sender = load_identity (&bench, "alice.p12");
  bench.recipient = load_identity (&bench, "bob.p12");
  bench.sender_key = load_private_key (&bench, "alice.key");
  bench.recipient_key = load_private_key (&bench, "bob.key");
  bench.sender_public = load_public_key (&bench, "alice.pem");
  bench.recipient_public = load_public_key (&bench, "bob.pem");
  for (guint op = 0; op < N_OPS; op++)
    for (guint way = 0; way < N_WAYS; way++)
      bench.times[op][way] = g_array_sized_new (FALSE, FALSE, sizeof (double), messages->len);
  bench.target_floor = g_array_sized_new (FALSE, FALSE, sizeof (double), messages->len);

  start_us = openssl_start_us (&bench);
  for (guint i = 0; i < messages->len; i++)
    {
      bench_message (&bench, g_ptr_array_index (messages, i));
      if ((i + 1) % 100 == 0)
        g_printerr ("bench-smime: %u of %u messages\n", i + 1, messages->len);
    }
  print_json (&bench, messages->len, start_us);

  for (guint op = 0; op < N_OPS; op++)
    for (guint way = 0; way < N_WAYS; way++)
      g_array_unref (bench.times[op][way]);
  g_array_unref (bench.target_floor);
  gnutls_free (bench.wrapped_key.data);
  g_free (bench.scratch);
  gnutls_privkey_deinit (bench.sender_key);
  gnutls_privkey_deinit (bench.recipient_key);
  gnutls_pubkey_deinit (bench.sender_public);
  gnutls_pubkey_deinit (bench.recipient_public);
  g_object_unref (bench.sender);
  g_object_unref (bench.recipient);
  g_object_unref (bench.store);
  return EXIT_SUCCESS;
}
