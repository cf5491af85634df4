/* connection-sync.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "connection-sync.h"

/* A connection to @server for @scheme ("imaps"…), trusting @ca_file, or the
 * system's store if it is NULL. */
CachetConnection *
connection_new_for_server (CachetTestServer *server,
                           const char       *scheme,
                           const char       *ca_file)
{
  g_autofree char *uri = cachet_test_server_get_uri (server, scheme);
  g_autoptr(CachetServerAddress) address = NULL;
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;

  address = cachet_server_address_parse (uri, &error);
  g_assert_no_error (error);
  if (ca_file != NULL)
    trust = cachet_trust_new_for_ca_file (ca_file, &error);
  else
    trust = cachet_trust_new_system (&error);
  g_assert_no_error (error);

  return cachet_connection_new (address, trust);
}

gboolean
connection_connect_sync (CachetConnection  *connection,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_connection_connect_async (connection, cancellable, cachet_test_result_cb, &result);
  return cachet_connection_connect_finish (connection, cachet_test_wait_result (&result), error);
}

gboolean
connection_start_tls_sync (CachetConnection  *connection,
                           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_connection_start_tls_async (connection, NULL, cachet_test_result_cb, &result);
  return cachet_connection_start_tls_finish (connection, cachet_test_wait_result (&result), error);
}

char *
connection_read_line_sync (CachetConnection  *connection,
                           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_connection_read_line_async (connection, NULL, cachet_test_result_cb, &result);
  return cachet_connection_read_line_finish (connection, cachet_test_wait_result (&result), NULL,
                                             error);
}

GBytes *
connection_read_bytes_sync (CachetConnection  *connection,
                            gsize              count,
                            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_connection_read_bytes_async (connection, count, NULL, cachet_test_result_cb, &result);
  return cachet_connection_read_bytes_finish (connection, cachet_test_wait_result (&result), error);
}

gboolean
connection_write_sync (CachetConnection  *connection,
                       const char        *text,
                       CachetWriteFlags   flags,
                       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  cachet_connection_write_async (connection, bytes, flags, NULL, cachet_test_result_cb, &result);
  return cachet_connection_write_finish (connection, cachet_test_wait_result (&result), error);
}

void
connection_close_sync (CachetConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cachet_connection_close_async (connection, NULL, cachet_test_result_cb, &result);
  cachet_connection_close_finish (connection, cachet_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

void
connection_assert_line (CachetConnection *connection,
                        const char       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = connection_read_line_sync (connection, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
}

void
connection_assert_write (CachetConnection *connection,
                         const char       *text,
                         CachetWriteFlags  flags)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (connection_write_sync (connection, text, flags, &error));
  g_assert_no_error (error);
}
