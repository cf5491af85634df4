/* smime-test-pki.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

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
