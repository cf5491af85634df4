/* smime-test-pki.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cachet-certificate-store.h"
#include "cachet-test-server.h"
#include "smime-test-pki.h"

/**
 * smime_test_run_output:
 * @argv: a command
 * @input: (nullable): what to write to its standard input
 * @success: (out): whether it exited with 0
 *
 * Returns: (transfer full): its standard output and error
 */
char *
smime_test_run_output (const char * const *argv,
                       const char         *input,
                       gboolean           *success)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE;
  char *output = NULL;

  if (input != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  process = g_subprocess_newv (argv, flags, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  *success = g_subprocess_get_successful (process);

  return output;
}

static void
run_valist (const char *input,
            const char *first_arg,
            va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *output = NULL;
  gboolean success;

  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  output = smime_test_run_output ((const char * const *) argv->pdata, input, &success);
  if (!success)
    g_error ("%s failed:\n%s", first_arg, output);
}

/* Runs a command that must succeed. */
void
smime_test_run (const char *first_arg,
                ...)
{
  va_list args;

  va_start (args, first_arg);
  run_valist (NULL, first_arg, args);
  va_end (args);
}

/* The same, with @input on its standard input. */
void
smime_test_run_with_input (const char *input,
                           const char *first_arg,
                           ...)
{
  va_list args;

  va_start (args, first_arg);
  run_valist (input, first_arg, args);
  va_end (args);
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (name, contents, -1, &error);
  g_assert_no_error (error);
}

/* A certificate for alice@example.org issued by the intermediate CA. */
static void
issue (const char *name,
       const char *extended_usage)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *ext_text = g_strdup_printf ("subjectAltName=email:alice@example.org\n"
                                               "keyUsage=critical,digitalSignature,keyEncipherment\n"
                                               "extendedKeyUsage=%s\n", extended_usage);

  write_file (ext, ext_text);
  smime_test_run ("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
                  "-subj", subject, NULL);
  smime_test_run ("openssl", "x509", "-req", "-in", csr, "-CA", "intermediate.pem",
                  "-CAkey", "intermediate.key", "-CAcreateserial", "-out", cert, "-days", "30",
                  "-extfile", ext, NULL);
}

/* OpenSSL 3.0 cannot back-date a certificate; certtool can. */
static void
issue_expired (void)
{
  write_file ("expired.tmpl",
              "cn = \"expired\"\n"
              "email = \"alice@example.org\"\n"
              "signing_key\n"
              "encryption_key\n"
              "key_purpose_oid = 1.3.6.1.5.5.7.3.4\n"
              "activation_date = \"2020-01-01 00:00:00\"\n"
              "expiration_date = \"2020-12-31 00:00:00\"\n");
  smime_test_run ("openssl", "genpkey", "-algorithm", "RSA", "-out", "expired.key", NULL);
  smime_test_run ("certtool", "--generate-certificate", "--load-privkey", "expired.key",
                  "--load-ca-certificate", "intermediate.pem", "--load-ca-privkey", "intermediate.key",
                  "--template", "expired.tmpl", "--outfile", "expired.pem", NULL);
}

/**
 * smime_test_pki_get:
 *
 * Makes the certificates on first use, in the test's home.
 *
 * Returns: (nullable): the PKI, or %NULL if OpenSSL or certtool is missing
 *   (the test has then been skipped, or failed under CI)
 */
const SmimeTestPki *
smime_test_pki_get (void)
{
  static SmimeTestPki pki;
  g_autofree char *cwd = NULL;

  if (pki.dir != NULL)
    return &pki;
  if (!cachet_test_require_program ("openssl") || !cachet_test_require_program ("certtool"))
    return NULL;

  pki.dir = g_build_filename (g_get_home_dir (), "pki", NULL);
  g_assert_cmpint (g_mkdir_with_parents (pki.dir, 0700), ==, 0);
  cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (pki.dir), ==, 0);
  smime_test_run ("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                  "-out", "ca.pem", "-days", "30", "-subj", "/CN=Cachet Test CA",
                  "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
  write_file ("intermediate.ext",
              "basicConstraints=critical,CA:TRUE,pathlen:0\n"
              "keyUsage=critical,keyCertSign,cRLSign\n");
  smime_test_run ("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "intermediate.key",
                  "-out", "intermediate.csr", "-subj", "/CN=Cachet Test Intermediate CA", NULL);
  smime_test_run ("openssl", "x509", "-req", "-in", "intermediate.csr", "-CA", "ca.pem",
                  "-CAkey", "ca.key", "-CAcreateserial", "-out", "intermediate.pem", "-days", "30",
                  "-extfile", "intermediate.ext", NULL);
  issue ("alice", "emailProtection");
  issue ("server", "serverAuth");
  issue_expired ();
  smime_test_run ("openssl", "pkcs12", "-export", "-inkey", "alice.key", "-in", "alice.pem",
                  "-certfile", "intermediate.pem", "-out", "alice.p12",
                  "-passout", "pass:" SMIME_TEST_P12_PASSPHRASE, NULL);
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  pki.ca = g_build_filename (pki.dir, "ca.pem", NULL);
  pki.intermediate = g_build_filename (pki.dir, "intermediate.pem", NULL);
  pki.alice_cert = g_build_filename (pki.dir, "alice.pem", NULL);
  pki.alice_key = g_build_filename (pki.dir, "alice.key", NULL);
  pki.alice_p12 = g_build_filename (pki.dir, "alice.p12", NULL);
  pki.server_cert = g_build_filename (pki.dir, "server.pem", NULL);
  pki.server_key = g_build_filename (pki.dir, "server.key", NULL);
  pki.expired_cert = g_build_filename (pki.dir, "expired.pem", NULL);
  pki.expired_key = g_build_filename (pki.dir, "expired.key", NULL);

  return &pki;
}

/**
 * smime_test_make_gnupg_home:
 * @key: the private key gpgsm is to hold
 * @cert: its certificate
 * @chain: (nullable): a CA certificate to put in the PKCS #12 with them
 * @also_import: (nullable): another certificate gpgsm is to know
 *
 * Makes $GNUPGHOME a gpgsm home trusting the test root CA only (CRLs are not
 * checked: the test CAs publish none), knowing the intermediate CA, and
 * holding @key.
 */
void
smime_test_make_gnupg_home (const char *key,
                            const char *cert,
                            const char *chain,
                            const char *also_import)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  const char *home = g_getenv ("GNUPGHOME");
  const char *fingerprint_argv[] = { "openssl", "x509", "-noout", "-fingerprint", "-sha1",
                                     "-in", pki->ca, NULL };
  g_autofree char *fingerprint = NULL;
  g_autofree char *trustlist = NULL;
  g_autofree char *gpgsm_conf = g_build_filename (home, "gpgsm.conf", NULL);
  g_autofree char *agent_conf = g_build_filename (home, "gpg-agent.conf", NULL);
  g_autofree char *trustlist_path = g_build_filename (home, "trustlist.txt", NULL);
  g_autofree char *legacy_p12 = g_build_filename (home, "import.p12", NULL);
  const char *export_args[] = { "openssl", "pkcs12", "-export", "-inkey", key, "-in", cert,
                                "-out", legacy_p12, "-passout", "pass:" SMIME_TEST_P12_PASSPHRASE,
                                "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES",
                                "-macalg", "sha1" };
  const char *import_argv[] = { "gpgsm", "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0",
                                "--import", legacy_p12, NULL };
  g_autoptr(GPtrArray) export_argv = NULL;
  gboolean success;
  char *equals;

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  write_file (gpgsm_conf, "disable-crl-checks\n");
  write_file (agent_conf, "allow-loopback-pinentry\n");
  fingerprint = smime_test_run_output (fingerprint_argv, NULL, &success);
  g_assert_true (success);
  equals = strchr (fingerprint, '=');
  g_assert_nonnull (equals);
  trustlist = g_strdup_printf ("%s S relax\n", g_strstrip (equals + 1));
  write_file (trustlist_path, trustlist);

  /* gpgsm 2.2 reads only the PKCS #12 ciphers of before OpenSSL 3. */
  export_argv = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (export_args); i++)
    g_ptr_array_add (export_argv, (gpointer) export_args[i]);
  if (chain != NULL)
    {
      g_ptr_array_add (export_argv, (gpointer) "-certfile");
      g_ptr_array_add (export_argv, (gpointer) chain);
    }
  g_ptr_array_add (export_argv, NULL);
  smime_test_run ("gpgsm", "--batch", "--import", pki->ca, NULL);
  smime_test_run ("gpgsm", "--batch", "--import", pki->intermediate, NULL);
  if (also_import != NULL)
    smime_test_run ("gpgsm", "--batch", "--import", also_import, NULL);
  /* gpgsm 2.2 fails to decrypt about one PKCS #12 file in forty that
   * OpenSSL reads with the same passphrase ("decryption failed", then every
   * other charset), every time for that file, while the same key exported
   * again (another salt and IV) imports: each attempt exports it again. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autofree char *output = NULL;

      g_free (smime_test_run_output ((const char * const *) export_argv->pdata, NULL, &success));
      g_assert_true (success);
      output = smime_test_run_output (import_argv,
                                      SMIME_TEST_P12_PASSPHRASE "\n"
                                      SMIME_TEST_P12_PASSPHRASE "\n"
                                      SMIME_TEST_P12_PASSPHRASE "\n",
                                      &success);
      if (success)
        return;
      g_test_message ("gpgsm could not import the key, attempt %u:\n%s", attempt + 1, output);
    }
  g_error ("gpgsm cannot import the test key");
}

/* The shared samples sit beside the project (../shared/samples), or where
 * CACHET_SAMPLES says. */
char *
smime_test_samples_dir (void)
{
  const char *dir = g_getenv ("CACHET_SAMPLES");

  if (dir != NULL)
    return g_strdup (dir);
  return g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "samples", NULL);
}

/* The first certificate of a PEM file. */
CachetCertificate *
smime_test_load_certificate (const char *path)
{
  g_autofree char *pem = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &pem, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&pem), length);
  certificates = cachet_certificates_from_data (bytes, &error);
  g_assert_no_error (error);
  return g_object_ref (g_ptr_array_index (certificates, 0));
}

/* @name in the folder of this run's certificates. */
char *
smime_test_path (const char *name)
{
  return g_build_filename (smime_test_pki_get ()->dir, name, NULL);
}

void
smime_test_write_bytes (const char *path,
                        GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
}

/* An empty certificate store of its own, without the system's anchors,
 * trusting the test root CA if @trust_ca. */
CachetCertificateStore *
smime_test_new_store (gboolean trust_ca)
{
  g_autofree char *directory = g_dir_make_tmp ("store-XXXXXX", NULL);
  CachetCertificateStore *store = cachet_certificate_store_new (directory);

  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  if (trust_ca)
    {
      g_autoptr(GPtrArray) anchors = NULL;
      g_autoptr(GError) error = NULL;

      anchors = cachet_certificate_store_trust_file (store, smime_test_pki_get ()->ca, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (anchors->len, ==, 1);
    }
  return store;
}

/* Points GNUPGHOME at @name in the test's home; call before any thread
 * exists. Returns: (transfer full): the folder */
char *
smime_test_use_gnupg_home (const char *name)
{
  char *home = g_build_filename (g_get_home_dir (), name, NULL);

  g_setenv ("GNUPGHOME", home, TRUE);
  return home;
}

/* gpgsm starts an agent for its home: it goes with the test. */
void
smime_test_stop_gnupg_agent (const char *home)
{
  const char *kill_argv[] = { "gpgconf", "--kill", "gpg-agent", NULL };
  gboolean killed;

  if (g_file_test (home, G_FILE_TEST_IS_DIR))
    g_free (smime_test_run_output (kill_argv, NULL, &killed));
}
