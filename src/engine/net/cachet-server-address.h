/* cachet-server-address.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetServerProtocol:
 * @CACHET_SERVER_PROTOCOL_IMAP: IMAP, to read mail
 * @CACHET_SERVER_PROTOCOL_SMTP: SMTP submission, to send mail
 */
typedef enum
{
  CACHET_SERVER_PROTOCOL_IMAP,
  CACHET_SERVER_PROTOCOL_SMTP,
} CachetServerProtocol;

/**
 * CachetTlsMode:
 * @CACHET_TLS_MODE_IMPLICIT: TLS from the first byte (`imaps://`, `smtps://`)
 * @CACHET_TLS_MODE_STARTTLS: plain TCP that the protocol must upgrade with
 *   STARTTLS before anything else (`imap://`, `smtp://`); never optional
 *
 * There is deliberately no plaintext mode.
 */
typedef enum
{
  CACHET_TLS_MODE_IMPLICIT,
  CACHET_TLS_MODE_STARTTLS,
} CachetTlsMode;

#define CACHET_TYPE_SERVER_ADDRESS (cachet_server_address_get_type ())

typedef struct _CachetServerAddress CachetServerAddress;

GType                 cachet_server_address_get_type     (void) G_GNUC_CONST;
CachetServerAddress  *cachet_server_address_parse        (const char          *uri,
                                                          GError             **error);
CachetServerAddress  *cachet_server_address_ref          (CachetServerAddress *self);
void                  cachet_server_address_unref        (CachetServerAddress *self);
CachetServerProtocol  cachet_server_address_get_protocol (CachetServerAddress *self);
CachetTlsMode         cachet_server_address_get_tls_mode (CachetServerAddress *self);
const char           *cachet_server_address_get_host     (CachetServerAddress *self);
guint16               cachet_server_address_get_port     (CachetServerAddress *self);
char                 *cachet_server_address_to_string    (CachetServerAddress *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetServerAddress, cachet_server_address_unref)

G_END_DECLS
