/* cachet-tls-interaction.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-tls-interaction.h"

/**
 * CachetTlsInteraction:
 *
 * The interaction a #CachetConnection gives its TLS connection. It passes
 * PIN requests (a smart card's, during the handshake) on to the
 * application's interaction, and notes whether the server asked for a client
 * certificate the connection did not have: GIO offers no other way to know,
 * and with TLS 1.3 a server that requires one often just closes the
 * connection after the handshake, which would otherwise read as an
 * unexplained disconnection.
 *
 * glib-networking calls it on the main context it was created on.
 */
struct _CachetTlsInteraction
{
  GTlsInteraction parent_instance;

  GTlsInteraction *application;
  gboolean certificate_requested;
};

G_DEFINE_FINAL_TYPE (CachetTlsInteraction, cachet_tls_interaction, G_TYPE_TLS_INTERACTION)

static GTlsInteractionResult
cachet_tls_interaction_ask_password (GTlsInteraction  *interaction,
                                     GTlsPassword     *password,
                                     GCancellable     *cancellable,
                                     GError          **error)
{
  CachetTlsInteraction *self = CACHET_TLS_INTERACTION (interaction);

  if (self->application == NULL)
    return G_TLS_INTERACTION_UNHANDLED;

  return g_tls_interaction_invoke_ask_password (self->application, password, cancellable, error);
}

/* Called only when the server requested a certificate and none was set;
 * certificates come from the account, never from a prompt here. */
static GTlsInteractionResult
cachet_tls_interaction_request_certificate (GTlsInteraction              *interaction,
                                            GTlsConnection               *connection,
                                            GTlsCertificateRequestFlags   flags,
                                            GCancellable                 *cancellable,
                                            GError                      **error)
{
  CACHET_TLS_INTERACTION (interaction)->certificate_requested = TRUE;

  return G_TLS_INTERACTION_UNHANDLED;
}

static void
cachet_tls_interaction_dispose (GObject *object)
{
  CachetTlsInteraction *self = CACHET_TLS_INTERACTION (object);

  g_clear_object (&self->application);

  G_OBJECT_CLASS (cachet_tls_interaction_parent_class)->dispose (object);
}

static void
cachet_tls_interaction_class_init (CachetTlsInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsInteractionClass *interaction_class = G_TLS_INTERACTION_CLASS (klass);

  object_class->dispose = cachet_tls_interaction_dispose;
  interaction_class->ask_password = cachet_tls_interaction_ask_password;
  interaction_class->request_certificate = cachet_tls_interaction_request_certificate;
}

static void
cachet_tls_interaction_init (CachetTlsInteraction *self)
{
}

/**
 * cachet_tls_interaction_new:
 * @application: (nullable): the application's interaction, to ask for PINs
 *
 * Returns: (transfer full): a new interaction
 */
CachetTlsInteraction *
cachet_tls_interaction_new (GTlsInteraction *application)
{
  CachetTlsInteraction *self = g_object_new (CACHET_TYPE_TLS_INTERACTION, NULL);

  g_set_object (&self->application, application);

  return self;
}

/**
 * cachet_tls_interaction_get_certificate_requested:
 *
 * Returns: whether a server asked for a client certificate that the
 *   connection did not have
 */
gboolean
cachet_tls_interaction_get_certificate_requested (CachetTlsInteraction *self)
{
  g_return_val_if_fail (CACHET_IS_TLS_INTERACTION (self), FALSE);

  return self->certificate_requested;
}
