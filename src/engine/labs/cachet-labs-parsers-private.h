/* cachet-labs-parsers-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-lab-report.h"

G_BEGIN_DECLS

/* Each returns one #CachetLabReport per patient or report found, sharing
 * @original, or %NULL with a CACHET_LABS_ERROR. */
GPtrArray *cachet_lab_hprim_net_parse   (GBytes      *original,
                                         const char  *text,
                                         const char  *charset,
                                         GError     **error);
gboolean   cachet_lab_hprim_net_sniff   (const char  *text);
GPtrArray *cachet_lab_hprim_sante_parse (GBytes      *original,
                                         const char  *text,
                                         const char  *charset,
                                         GError     **error);
GPtrArray *cachet_lab_hl7_parse         (GBytes      *original,
                                         const char  *charset_override,
                                         GError     **error);
GPtrArray *cachet_lab_cda_parse         (GBytes      *xml,
                                         GBytes      *original,
                                         CachetLabFormat format,
                                         GError     **error);
GPtrArray *cachet_lab_xdm_parse         (GBytes      *original,
                                         GError     **error);

void       cachet_labs_split_range      (const char  *low,
                                         const char  *high,
                                         char       **range_low,
                                         char       **range_high);

G_END_DECLS
