/* cachet-imap-error.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-imap-error.h"

G_DEFINE_QUARK (cachet-imap-error-quark, cachet_imap_error)
