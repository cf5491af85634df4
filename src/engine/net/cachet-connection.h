/* cachet-connection.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-server-address.h"
#include "cachet-trust.h"

G_BEGIN_DECLS

/**
 * CACHET_CONNECTION_DEFAULT_TIMEOUT_MS:
 *
 * How long connecting (with the TLS handshake), and then each line read or
 * STARTTLS upgrade, may take before it fails with %G_IO_ERROR_TIMED_OUT;
 * cachet_connection_read_bytes_async() and cachet_connection_write_async()
 * fail only after that long without any progress.
 */
#define CACHET_CONNECTION_DEFAULT_TIMEOUT_MS 30000

/**
 * CACHET_CONNECTION_DEFAULT_MAX_LINE_LENGTH:
 *
 * The longest line cachet_connection_read_line_async() accepts, without its
 * line break, unless the protocol sets another bound.
 */
#define CACHET_CONNECTION_DEFAULT_MAX_LINE_LENGTH 65536

/**
 * CachetWriteFlags:
 * @CACHET_WRITE_NONE: ordinary protocol data
 * @CACHET_WRITE_CREDENTIALS: the data carries a password, token or SASL
 *   response: it is refused with %CACHET_NET_ERROR_NOT_SECURE unless
 *   cachet_connection_is_secure() is %TRUE
 */
typedef enum /*< flags >*/
{
  CACHET_WRITE_NONE = 0,
  CACHET_WRITE_CREDENTIALS = 1 << 0,
} CachetWriteFlags;

#define CACHET_TYPE_CONNECTION (cachet_connection_get_type ())

G_DECLARE_FINAL_TYPE (CachetConnection, cachet_connection, CACHET, CONNECTION, GObject)

CachetConnection     *cachet_connection_new                         (CachetServerAddress  *address,
                                                                     CachetTrust          *trust);
void                  cachet_connection_set_client_certificate      (CachetConnection     *self,
                                                                     GTlsCertificate      *certificate);
void                  cachet_connection_set_interaction             (CachetConnection     *self,
                                                                     GTlsInteraction      *interaction);
void                  cachet_connection_set_timeout                 (CachetConnection     *self,
                                                                     guint                 timeout_ms);
void                  cachet_connection_set_max_line_length         (CachetConnection     *self,
                                                                     gsize                 max_line_length);
CachetServerAddress  *cachet_connection_get_address                 (CachetConnection     *self);

void                  cachet_connection_connect_async               (CachetConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean              cachet_connection_connect_finish              (CachetConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                  cachet_connection_start_tls_async             (CachetConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean              cachet_connection_start_tls_finish            (CachetConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                  cachet_connection_read_line_async             (CachetConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
char                 *cachet_connection_read_line_finish            (CachetConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     gsize                *length,
                                                                     GError              **error);
void                  cachet_connection_read_bytes_async            (CachetConnection     *self,
                                                                     gsize                 count,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
GBytes               *cachet_connection_read_bytes_finish           (CachetConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                  cachet_connection_write_async                 (CachetConnection     *self,
                                                                     GBytes               *bytes,
                                                                     CachetWriteFlags      flags,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean              cachet_connection_write_finish                (CachetConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                  cachet_connection_close_async                 (CachetConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean              cachet_connection_close_finish                (CachetConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);

gboolean              cachet_connection_is_secure                   (CachetConnection     *self);
GTlsCertificate      *cachet_connection_get_peer_certificate        (CachetConnection     *self);
GTlsCertificateFlags  cachet_connection_get_peer_certificate_errors (CachetConnection     *self);
GTlsProtocolVersion   cachet_connection_get_protocol_version        (CachetConnection     *self);
char                 *cachet_connection_get_ciphersuite_name        (CachetConnection     *self);

G_END_DECLS
