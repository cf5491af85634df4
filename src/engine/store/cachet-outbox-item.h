/* cachet-outbox-item.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-outbox.h"

G_BEGIN_DECLS

#define CACHET_TYPE_OUTBOX_ITEM (cachet_outbox_item_get_type ())

G_DECLARE_FINAL_TYPE (CachetOutboxItem, cachet_outbox_item, CACHET, OUTBOX_ITEM, GObject)

CachetOutboxItem        *cachet_outbox_item_new            (const char              *account_id,
                                                            const CachetOutboxEntry *entry);
const char              *cachet_outbox_item_get_account_id (CachetOutboxItem        *self);
const CachetOutboxEntry *cachet_outbox_item_get_entry      (CachetOutboxItem        *self);
char                    *cachet_outbox_item_dup_recipients (CachetOutboxItem        *self);

G_END_DECLS
