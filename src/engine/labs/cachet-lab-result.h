/* cachet-lab-result.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetLabFlag:
 * @CACHET_LAB_FLAG_NONE: the lab gave no interpretation
 * @CACHET_LAB_FLAG_NORMAL: within the reference range
 * @CACHET_LAB_FLAG_LOW: below the range
 * @CACHET_LAB_FLAG_HIGH: above the range
 * @CACHET_LAB_FLAG_CRITICAL_LOW: far below (panic value)
 * @CACHET_LAB_FLAG_CRITICAL_HIGH: far above (panic value)
 * @CACHET_LAB_FLAG_ABNORMAL: abnormal without a direction
 */
typedef enum
{
  CACHET_LAB_FLAG_NONE,
  CACHET_LAB_FLAG_NORMAL,
  CACHET_LAB_FLAG_LOW,
  CACHET_LAB_FLAG_HIGH,
  CACHET_LAB_FLAG_CRITICAL_LOW,
  CACHET_LAB_FLAG_CRITICAL_HIGH,
  CACHET_LAB_FLAG_ABNORMAL,
} CachetLabFlag;

#define CACHET_TYPE_LAB_RESULT (cachet_lab_result_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabResult, cachet_lab_result, CACHET, LAB_RESULT, GObject)

CachetLabResult *cachet_lab_result_new                (const char      *code,
                                                       const char      *label,
                                                       const char      *value,
                                                       const char      *unit);
const char      *cachet_lab_result_get_code           (CachetLabResult *self);
const char      *cachet_lab_result_get_label          (CachetLabResult *self);
const char      *cachet_lab_result_get_value          (CachetLabResult *self);
const char      *cachet_lab_result_get_unit           (CachetLabResult *self);
const char      *cachet_lab_result_get_reference_low  (CachetLabResult *self);
const char      *cachet_lab_result_get_reference_high (CachetLabResult *self);
void             cachet_lab_result_set_reference      (CachetLabResult *self,
                                                       const char      *low,
                                                       const char      *high);
char            *cachet_lab_result_dup_reference_text (CachetLabResult *self);
CachetLabFlag    cachet_lab_result_get_flag           (CachetLabResult *self);
void             cachet_lab_result_set_flag           (CachetLabResult *self,
                                                       CachetLabFlag    flag);
gboolean         cachet_lab_result_is_abnormal        (CachetLabResult *self);
const char      *cachet_lab_result_get_comment        (CachetLabResult *self);
void             cachet_lab_result_append_comment     (CachetLabResult *self,
                                                       const char      *comment);

CachetLabFlag    cachet_lab_flag_from_code            (const char      *code);
const char      *cachet_lab_flag_to_code              (CachetLabFlag    flag);

G_END_DECLS
