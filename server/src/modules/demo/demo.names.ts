/** Deterministic generated Chinese names: no real people. */
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤';
const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华文志明海燕红梅晓东玉兰春梅俊杰雪梅丽娟子涵欣怡浩然宇轩思远雨桐嘉怡梓萱一鸣佳琪振华立新晓红卫东学军新民永强凤英淑珍';

/** mulberry32: a tiny seeded PRNG so the demo and benchmarks are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function nameGenerator(seed: number): () => string {
  const rnd = prng(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)] ?? '';
  return () => {
    const s = pick(surnames);
    return rnd() < 0.45 ? s + pick(given) : s + pick(given) + pick(given);
  };
}
