/* cachet-outbox-model.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-outbox-item.h"
#include "cachet-outbox.h"

G_BEGIN_DECLS

#define CACHET_TYPE_OUTBOX_MODEL (cachet_outbox_model_get_type ())

G_DECLARE_FINAL_TYPE (CachetOutboxModel, cachet_outbox_model, CACHET, OUTBOX_MODEL, GObject)

CachetOutboxModel *cachet_outbox_model_new            (CachetOutbox       *outbox,
                                                       const char         *account_id);
CachetOutbox      *cachet_outbox_model_get_outbox     (CachetOutboxModel  *self);
const char        *cachet_outbox_model_get_account_id (CachetOutboxModel  *self);
gboolean           cachet_outbox_model_reload         (CachetOutboxModel  *self,
                                                       GError            **error);

G_END_DECLS
