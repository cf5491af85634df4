/* test-net-address.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-net-error.h"
#include "cachet-server-address.h"
#include "cachet-test-utils.h"

static const struct
{
  const char *uri;
  CachetServerProtocol protocol;
  CachetTlsMode tls_mode;
  const char *host;
  guint16 port;
  const char *canonical;
} valid[] = {
  { "imaps://mail.example.org", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT,
    "mail.example.org", 993, "imaps://mail.example.org:993" },
  { "imap://mail.example.org", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_STARTTLS,
    "mail.example.org", 143, "imap://mail.example.org:143" },
  { "smtps://smtp.example.org", CACHET_SERVER_PROTOCOL_SMTP, CACHET_TLS_MODE_IMPLICIT,
    "smtp.example.org", 465, "smtps://smtp.example.org:465" },
  { "smtp://smtp.example.org", CACHET_SERVER_PROTOCOL_SMTP, CACHET_TLS_MODE_STARTTLS,
    "smtp.example.org", 587, "smtp://smtp.example.org:587" },
  { "imaps://mail.example.org:1993/", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT,
    "mail.example.org", 1993, "imaps://mail.example.org:1993" },
  { "IMAPS://Mail.Example.ORG", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT,
    "mail.example.org", 993, "imaps://mail.example.org:993" },
  { "smtp://192.0.2.1:65535", CACHET_SERVER_PROTOCOL_SMTP, CACHET_TLS_MODE_STARTTLS,
    "192.0.2.1", 65535, "smtp://192.0.2.1:65535" },
  { "imaps://[2001:db8::1]:1", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT,
    "2001:db8::1", 1, "imaps://[2001:db8::1]:1" },
  { "imap://[::1]/", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_STARTTLS,
    "::1", 143, "imap://[::1]:143" },
  { "smtps://médecin.fr", CACHET_SERVER_PROTOCOL_SMTP, CACHET_TLS_MODE_IMPLICIT,
    "xn--mdecin-bva.fr", 465, "smtps://xn--mdecin-bva.fr:465" },
  { "imaps://localhost", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT,
    "localhost", 993, "imaps://localhost:993" },
  { "imaps://mail-1.example.org", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT,
    "mail-1.example.org", 993, "imaps://mail-1.example.org:993" },
};

static void
test_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(CachetServerAddress) address = NULL;
      g_autoptr(CachetServerAddress) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *canonical = NULL;

      g_test_message ("%s", valid[i].uri);
      address = cachet_server_address_parse (valid[i].uri, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cachet_server_address_get_protocol (address), ==, valid[i].protocol);
      g_assert_cmpint (cachet_server_address_get_tls_mode (address), ==, valid[i].tls_mode);
      g_assert_cmpstr (cachet_server_address_get_host (address), ==, valid[i].host);
      g_assert_cmpuint (cachet_server_address_get_port (address), ==, valid[i].port);

      canonical = cachet_server_address_to_string (address);
      g_assert_cmpstr (canonical, ==, valid[i].canonical);
      again = cachet_server_address_parse (canonical, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cachet_server_address_get_host (again), ==, valid[i].host);
      g_assert_cmpuint (cachet_server_address_get_port (again), ==, valid[i].port);
    }
}

static const char * const invalid[] = {
  "",
  "mail.example.org",
  "imaps:mail.example.org",
  "imaps:/mail.example.org",
  "pop3s://mail.example.org",
  "https://mail.example.org",
  "imapss://mail.example.org",
  " imaps://mail.example.org",
  "imaps://",
  "imaps:///",
  "imaps://:993",
  "imaps://alice@mail.example.org",
  "imaps://alice:s3cr3t@mail.example.org",
  "imaps://mail.example.org/INBOX",
  "imaps://mail.example.org//",
  "imaps://mail.example.org?tls=off",
  "imaps://mail.example.org#x",
  "imaps://mail.example.org:",
  "imaps://mail.example.org:0",
  "imaps://mail.example.org:65536",
  "imaps://mail.example.org:100000",
  "imaps://mail.example.org:-1",
  "imaps://mail.example.org:+993",
  "imaps://mail.example.org:99a",
  "imaps://mail.example.org: 993",
  "imaps://mail.example.org:993:993",
  "imaps://2001:db8::1",
  "imaps://[2001:db8::1",
  "imaps://[2001:db8::1]x",
  "imaps://[2001:db8::1]:",
  "imaps://[192.0.2.1]",
  "imaps://[mail.example.org]",
  "imaps://[]",
  "imaps://mail example.org",
  "imaps://mail_server.example.org",
  "imaps://-mail.example.org",
  "imaps://mail-.example.org",
  "imaps://mail..example.org",
  "imaps://.example.org",
  "imaps://mail.example.org.",
  "imaps://m%61il.example.org",
  "imaps://mail.example.org\r\nA LOGIN",
  "imaps://mail\x01.example.org",
  "imaps://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.org",
};

static void
test_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(CachetServerAddress) address = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (invalid[i], NULL);

      g_test_message ("%s", escaped);
      address = cachet_server_address_parse (invalid[i], &error);
      g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_INVALID_ADDRESS);
      g_assert_null (address);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_too_long (void)
{
  g_autoptr(GString) uri = g_string_new ("imaps://");
  g_autoptr(CachetServerAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  /* 4 × 63 + 3 dots = 255 characters: every label is fine, the name is not. */
  for (guint i = 0; i < 4; i++)
    {
      if (i > 0)
        g_string_append_c (uri, '.');
      for (guint j = 0; j < 63; j++)
        g_string_append_c (uri, 'a');
    }

  address = cachet_server_address_parse (uri->str, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_INVALID_ADDRESS);
}

static void
test_error_hides_password (void)
{
  g_autoptr(CachetServerAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  address = cachet_server_address_parse ("imaps://alice:s3cr3t@mail.example.org", &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_INVALID_ADDRESS);
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_assert_null (strstr (error->message, "alice"));
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/net/address/valid", test_valid);
  g_test_add_func ("/net/address/invalid", test_invalid);
  g_test_add_func ("/net/address/too-long", test_too_long);
  g_test_add_func ("/net/address/error-hides-password", test_error_hides_password);

  return g_test_run ();
}
