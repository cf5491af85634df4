/* test-net-sasl.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-net-error.h"
#include "cachet-sasl.h"
#include "cachet-test-utils.h"

/* RFC 7628 §4.1 and §4.3, verbatim. */
#define RFC7628_TOKEN "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="
#define RFC7628_INITIAL \
  "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVy" \
  "IHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB"
#define RFC7628_ERROR_CHALLENGE \
  "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3Vy" \
  "YXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0="
#define RFC7628_ERROR_JSON \
  "{\"status\":\"invalid_token\",\"scope\":\"example_scope\"," \
  "\"openid-configuration\":\"https://example.com/.well-known/openid-configuration\"}"

/* Google's XOAUTH2 documentation example. */
#define XOAUTH2_TOKEN "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
#define XOAUTH2_INITIAL \
  "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhk" \
  "SFJoZG1semRHRXVZMjl0Q2cBAQ=="

static void
assert_response (CachetSasl *sasl,
                 const char *challenge,
                 const char *expected)
{
  g_auto(CachetSecret) response = NULL;
  g_autoptr(GError) error = NULL;

  response = cachet_sasl_respond (sasl, challenge, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==, expected);
}

static void
assert_challenge_refused (CachetSasl *sasl,
                          const char *challenge)
{
  g_auto(CachetSecret) response = NULL;
  g_autoptr(GError) error = NULL;

  response = cachet_sasl_respond (sasl, challenge, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_PROTOCOL);
  g_assert_null (response);
}

static void
test_plain_rfc4616 (void)
{
  static const struct
  {
    const char *authzid;
    const char *user;
    const char *password;
    const char *expected;
  } examples[] = {
    /* RFC 4616 §4: "\0tim\0tanstaaftanstaaf" and "Ursel\0Kurt\0xipj3plmq". */
    { NULL, "tim", "tanstaaftanstaaf", "AHRpbQB0YW5zdGFhZnRhbnN0YWFm" },
    { "", "tim", "tanstaaftanstaaf", "AHRpbQB0YW5zdGFhZnRhbnN0YWFm" },
    { "Ursel", "Kurt", "xipj3plmq", "VXJzZWwAS3VydAB4aXBqM3BsbXE=" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(CachetSasl) with_ir = NULL;
      g_autoptr(CachetSasl) without_ir = NULL;
      g_auto(CachetSecret) initial = NULL;
      g_autoptr(GError) error = NULL;

      with_ir = cachet_sasl_new_plain (examples[i].authzid, examples[i].user,
                                       examples[i].password, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cachet_sasl_get_mechanism (with_ir), ==, CACHET_SASL_MECHANISM_PLAIN);
      initial = cachet_sasl_get_initial_response (with_ir);
      g_assert_cmpstr (initial, ==, examples[i].expected);
      /* Everything was said: any challenge now is a protocol error. */
      assert_challenge_refused (with_ir, "");

      /* Without SASL-IR the server asks first, with an empty challenge. */
      without_ir = cachet_sasl_new_plain (examples[i].authzid, examples[i].user,
                                          examples[i].password, &error);
      g_assert_no_error (error);
      assert_response (without_ir, "", examples[i].expected);
      assert_challenge_refused (without_ir, "");
    }
}

static void
test_plain_unexpected_challenge (void)
{
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;

  sasl = cachet_sasl_new_plain (NULL, "tim", "tanstaaftanstaaf", &error);
  g_assert_no_error (error);
  /* PLAIN's first challenge is empty; anything else is not PLAIN. */
  assert_challenge_refused (sasl, "Zm9v");
}

static void
test_login (void)
{
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;

  sasl = cachet_sasl_new_login ("alice@example.org", "s3cret", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_sasl_get_mechanism (sasl), ==, CACHET_SASL_MECHANISM_LOGIN);
  g_assert_null (cachet_sasl_get_initial_response (sasl));

  /* "Username:" and "Password:"; only the order matters. */
  assert_response (sasl, "VXNlcm5hbWU6", "YWxpY2VAZXhhbXBsZS5vcmc=");
  assert_response (sasl, "UGFzc3dvcmQ6", "czNjcmV0");
  assert_challenge_refused (sasl, "");
}

static void
test_external (void)
{
  g_autoptr(CachetSasl) empty = NULL;
  g_autoptr(CachetSasl) authzid = NULL;
  g_autoptr(CachetSasl) without_ir = NULL;
  g_auto(CachetSecret) initial = NULL;
  g_auto(CachetSecret) initial_authzid = NULL;
  g_autoptr(GError) error = NULL;

  /* RFC 4959 and RFC 4954: an empty initial response is sent as "=". */
  empty = cachet_sasl_new_external (NULL, &error);
  g_assert_no_error (error);
  initial = cachet_sasl_get_initial_response (empty);
  g_assert_cmpstr (initial, ==, "=");
  assert_challenge_refused (empty, "");

  authzid = cachet_sasl_new_external ("alice@example.org", &error);
  g_assert_no_error (error);
  initial_authzid = cachet_sasl_get_initial_response (authzid);
  g_assert_cmpstr (initial_authzid, ==, "YWxpY2VAZXhhbXBsZS5vcmc=");

  /* As a continuation, an empty response is an empty line. */
  without_ir = cachet_sasl_new_external ("", &error);
  g_assert_no_error (error);
  assert_response (without_ir, "", "");
}

static void
test_xoauth2 (void)
{
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(CachetSasl) without_ir = NULL;
  g_auto(CachetSecret) initial = NULL;
  g_autoptr(GError) error = NULL;

  sasl = cachet_sasl_new_xoauth2 ("someuser@example.com", XOAUTH2_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_sasl_get_mechanism (sasl), ==, CACHET_SASL_MECHANISM_XOAUTH2);
  initial = cachet_sasl_get_initial_response (sasl);
  g_assert_cmpstr (initial, ==, XOAUTH2_INITIAL);
  g_assert_null (cachet_sasl_get_server_error (sasl));

  /* A refused token comes back as a JSON challenge, answered empty. */
  assert_response (sasl, RFC7628_ERROR_CHALLENGE, "");
  g_assert_cmpstr (cachet_sasl_get_server_error (sasl), ==, RFC7628_ERROR_JSON);
  assert_challenge_refused (sasl, "");

  without_ir = cachet_sasl_new_xoauth2 ("someuser@example.com", XOAUTH2_TOKEN, &error);
  g_assert_no_error (error);
  assert_response (without_ir, "", XOAUTH2_INITIAL);
}

static void
test_oauthbearer_rfc7628 (void)
{
  g_autoptr(CachetSasl) sasl = NULL;
  g_auto(CachetSecret) initial = NULL;
  g_autoptr(GError) error = NULL;

  sasl = cachet_sasl_new_oauthbearer ("user@example.com", "server.example.com", 143,
                                      RFC7628_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_sasl_get_mechanism (sasl), ==, CACHET_SASL_MECHANISM_OAUTHBEARER);
  initial = cachet_sasl_get_initial_response (sasl);
  g_assert_cmpstr (initial, ==, RFC7628_INITIAL);

  /* §4.3: the error challenge is answered with a single ^A. */
  assert_response (sasl, RFC7628_ERROR_CHALLENGE, "AQ==");
  g_assert_cmpstr (cachet_sasl_get_server_error (sasl), ==, RFC7628_ERROR_JSON);
  assert_challenge_refused (sasl, "");
}

static char *
decoded_initial_response (CachetSasl *sasl)
{
  g_auto(CachetSecret) initial = cachet_sasl_get_initial_response (sasl);
  gsize length;
  guchar *decoded = g_base64_decode (initial, &length);
  char *text = g_strndup ((const char *) decoded, length);

  g_free (decoded);
  return text;
}

static void
test_oauthbearer_fields (void)
{
  static const struct
  {
    const char *user;
    const char *host;
    guint16 port;
    const char *expected;
  } cases[] = {
    /* RFC 5801 saslname: ',' and '=' are escaped in the GS2 header. */
    { "a,b=c@example.org", "imap.example.org", 993,
      "n,a=a=2Cb=3Dc@example.org,\001host=imap.example.org\001port=993\001auth=Bearer t0k\001\001" },
    { NULL, NULL, 0, "n,,\001auth=Bearer t0k\001\001" },
    { "", "smtp.example.org", 0, "n,,\001host=smtp.example.org\001auth=Bearer t0k\001\001" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CachetSasl) sasl = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      sasl = cachet_sasl_new_oauthbearer (cases[i].user, cases[i].host, cases[i].port, "t0k",
                                          &error);
      g_assert_no_error (error);
      message = decoded_initial_response (sasl);
      g_assert_cmpstr (message, ==, cases[i].expected);
    }
}

static void
test_malformed_challenge (void)
{
  static const char * const challenges[] = {
    "not base64",
    "abc",
    "ab=c",
    "a===",
    "====",
    "Zm9v\r\n",
    "Zm9v Zm9v",
    "Zm9v=",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (challenges); i++)
    {
      g_autoptr(CachetSasl) sasl = NULL;
      g_autoptr(GError) error = NULL;

      sasl = cachet_sasl_new_login ("alice", "secret", &error);
      g_assert_no_error (error);
      assert_challenge_refused (sasl, challenges[i]);
    }
}

/* The constructor call must use `&error` and is checked to fail. */
#define ASSERT_INVALID(call) \
  G_STMT_START { \
    g_autoptr(GError) error = NULL; \
    g_autoptr(CachetSasl) refused = call; \
    g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS); \
    g_assert_null (refused); \
  } G_STMT_END

static void
test_invalid_credentials (void)
{
  /* A C string cannot carry PLAIN's NUL separator; what can go wrong is an
   * empty field, text that is not UTF-8, and each mechanism's separators. */
  ASSERT_INVALID (cachet_sasl_new_plain (NULL, "", "secret", &error));
  ASSERT_INVALID (cachet_sasl_new_plain (NULL, NULL, "secret", &error));
  ASSERT_INVALID (cachet_sasl_new_plain (NULL, "alice", "", &error));
  ASSERT_INVALID (cachet_sasl_new_plain (NULL, "alice", "caf\xe9", &error));
  ASSERT_INVALID (cachet_sasl_new_plain ("\xff", "alice", "secret", &error));
  ASSERT_INVALID (cachet_sasl_new_login ("alice", "sec\r\nret", &error));
  ASSERT_INVALID (cachet_sasl_new_login ("alice\n", "secret", &error));
  ASSERT_INVALID (cachet_sasl_new_login ("alice", "", &error));
  ASSERT_INVALID (cachet_sasl_new_external ("\xc3", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice\001auth=Bearer x", "t0k", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("", "t0k", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", "", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", NULL, &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", "t0k\001\001", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", "t0k en", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", "t0k\r\n", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", "=t0k", &error));
  ASSERT_INVALID (cachet_sasl_new_xoauth2 ("alice", "t0k=x", &error));
  ASSERT_INVALID (cachet_sasl_new_oauthbearer ("alice", "imap\001.example.org", 993, "t0k", &error));
  ASSERT_INVALID (cachet_sasl_new_oauthbearer ("alice\001", NULL, 0, "t0k", &error));
  ASSERT_INVALID (cachet_sasl_new_oauthbearer ("alice", "", 0, "t0k", &error));
}

static void
test_choose_mechanism (void)
{
  static const struct
  {
    const char *offered;   /* space-separated */
    CachetSaslCredentials available;
    int expected;          /* a CachetSaslMechanism, or -1 for none */
  } cases[] = {
    { "PLAIN LOGIN EXTERNAL", CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE |
                              CACHET_SASL_CREDENTIALS_PASSWORD, CACHET_SASL_MECHANISM_EXTERNAL },
    { "PLAIN LOGIN", CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE |
                     CACHET_SASL_CREDENTIALS_PASSWORD, CACHET_SASL_MECHANISM_PLAIN },
    { "EXTERNAL PLAIN", CACHET_SASL_CREDENTIALS_PASSWORD, CACHET_SASL_MECHANISM_PLAIN },
    { "LOGIN PLAIN", CACHET_SASL_CREDENTIALS_PASSWORD, CACHET_SASL_MECHANISM_PLAIN },
    { "LOGIN", CACHET_SASL_CREDENTIALS_PASSWORD, CACHET_SASL_MECHANISM_LOGIN },
    { "XOAUTH2 OAUTHBEARER PLAIN", CACHET_SASL_CREDENTIALS_OAUTH_TOKEN |
                                   CACHET_SASL_CREDENTIALS_PASSWORD,
      CACHET_SASL_MECHANISM_OAUTHBEARER },
    { "xoauth2 plain", CACHET_SASL_CREDENTIALS_OAUTH_TOKEN, CACHET_SASL_MECHANISM_XOAUTH2 },
    { "EXTERNAL XOAUTH2", CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE |
                          CACHET_SASL_CREDENTIALS_OAUTH_TOKEN, CACHET_SASL_MECHANISM_EXTERNAL },
    { "PLAIN", CACHET_SASL_CREDENTIALS_OAUTH_TOKEN, -1 },
    { "EXTERNAL", CACHET_SASL_CREDENTIALS_PASSWORD, -1 },
    { "CRAM-MD5 SCRAM-SHA-256", CACHET_SASL_CREDENTIALS_PASSWORD, -1 },
    { "PLAINX PLAI", CACHET_SASL_CREDENTIALS_PASSWORD, -1 },
    { "", CACHET_SASL_CREDENTIALS_PASSWORD, -1 },
    { "PLAIN", CACHET_SASL_CREDENTIALS_NONE, -1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) offered = g_strsplit (cases[i].offered, " ", -1);
      g_autoptr(GError) error = NULL;
      CachetSaslMechanism mechanism;
      gboolean found;

      g_test_message ("%s / %x", cases[i].offered, cases[i].available);
      found = cachet_sasl_choose_mechanism ((const char * const *) offered, cases[i].available,
                                            &mechanism, &error);
      if (cases[i].expected < 0)
        {
          g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_NO_MECHANISM);
          g_assert_false (found);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (found);
          g_assert_cmpint (mechanism, ==, cases[i].expected);
        }
    }
}

static void
test_mechanism_names (void)
{
  g_assert_cmpstr (cachet_sasl_mechanism_to_string (CACHET_SASL_MECHANISM_EXTERNAL), ==, "EXTERNAL");
  g_assert_cmpstr (cachet_sasl_mechanism_to_string (CACHET_SASL_MECHANISM_OAUTHBEARER), ==,
                   "OAUTHBEARER");
  g_assert_cmpstr (cachet_sasl_mechanism_to_string (CACHET_SASL_MECHANISM_XOAUTH2), ==, "XOAUTH2");
  g_assert_cmpstr (cachet_sasl_mechanism_to_string (CACHET_SASL_MECHANISM_PLAIN), ==, "PLAIN");
  g_assert_cmpstr (cachet_sasl_mechanism_to_string (CACHET_SASL_MECHANISM_LOGIN), ==, "LOGIN");
}

static void
test_secret_to_bytes (void)
{
  g_autoptr(GBytes) bytes = cachet_secret_to_bytes (g_strdup ("a AUTHENTICATE PLAIN AHRpbQ==\r\n"));
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpmem (data, size, "a AUTHENTICATE PLAIN AHRpbQ==\r\n", 31);
  cachet_secret_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/net/sasl/plain/rfc4616", test_plain_rfc4616);
  g_test_add_func ("/net/sasl/plain/unexpected-challenge", test_plain_unexpected_challenge);
  g_test_add_func ("/net/sasl/login", test_login);
  g_test_add_func ("/net/sasl/external", test_external);
  g_test_add_func ("/net/sasl/xoauth2", test_xoauth2);
  g_test_add_func ("/net/sasl/oauthbearer/rfc7628", test_oauthbearer_rfc7628);
  g_test_add_func ("/net/sasl/oauthbearer/fields", test_oauthbearer_fields);
  g_test_add_func ("/net/sasl/malformed-challenge", test_malformed_challenge);
  g_test_add_func ("/net/sasl/invalid-credentials", test_invalid_credentials);
  g_test_add_func ("/net/sasl/choose-mechanism", test_choose_mechanism);
  g_test_add_func ("/net/sasl/mechanism-names", test_mechanism_names);
  g_test_add_func ("/net/sasl/secret-to-bytes", test_secret_to_bytes);

  return g_test_run ();
}
