/* cachet-correspondent.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CACHET_TYPE_CORRESPONDENT (cachet_correspondent_get_type ())

G_DECLARE_FINAL_TYPE (CachetCorrespondent, cachet_correspondent, CACHET, CORRESPONDENT, GObject)

CachetCorrespondent *cachet_correspondent_new                (const char          *address,
                                                              const char          *name,
                                                              guint                sent_count,
                                                              guint                received_count,
                                                              gint64               last_seen,
                                                              double               score);
const char          *cachet_correspondent_get_address        (CachetCorrespondent *self);
const char          *cachet_correspondent_get_name           (CachetCorrespondent *self);
guint                cachet_correspondent_get_sent_count     (CachetCorrespondent *self);
guint                cachet_correspondent_get_received_count (CachetCorrespondent *self);
gint64               cachet_correspondent_get_last_seen      (CachetCorrespondent *self);
double               cachet_correspondent_get_score          (CachetCorrespondent *self);

G_END_DECLS
