/* connection-sync.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-connection.h"
#include "cachet-test-server.h"

G_BEGIN_DECLS

/* Blocking wrappers over CachetConnection's async API, which run the test's
 * main context (and so the scripted server) while they wait. */

CachetConnection *connection_new_for_server (CachetTestServer *server,
                                             const char       *scheme,
                                             const char       *ca_file);

gboolean  connection_connect_sync    (CachetConnection  *connection,
                                      GCancellable      *cancellable,
                                      GError           **error);
gboolean  connection_start_tls_sync  (CachetConnection  *connection,
                                      GError           **error);
char     *connection_read_line_sync  (CachetConnection  *connection,
                                      GError           **error);
GBytes   *connection_read_bytes_sync (CachetConnection  *connection,
                                      gsize              count,
                                      GError           **error);
gboolean  connection_write_sync      (CachetConnection  *connection,
                                      const char        *text,
                                      CachetWriteFlags   flags,
                                      GError           **error);
void      connection_close_sync      (CachetConnection  *connection);
void      connection_assert_line     (CachetConnection  *connection,
                                      const char        *expected);
void      connection_assert_write    (CachetConnection  *connection,
                                      const char        *text,
                                      CachetWriteFlags   flags);

G_END_DECLS
