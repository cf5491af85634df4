/* cachet-address.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CACHET_ADDRESS_MAX_LIST:
 *
 * The most mailboxes one recipient field may hold: far above a real message,
 * low enough that a pasted address book cannot flood a server.
 */
#define CACHET_ADDRESS_MAX_LIST 500

gboolean   cachet_address_validate   (const char  *address,
                                      GError     **error);
GPtrArray *cachet_address_parse_list (const char  *text,
                                      GError     **error);
char      *cachet_address_format     (const char  *name,
                                      const char  *address);
gboolean   cachet_address_equal      (const char  *a,
                                      const char  *b);

G_END_DECLS
